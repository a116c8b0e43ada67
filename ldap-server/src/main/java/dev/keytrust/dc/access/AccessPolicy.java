package dev.keytrust.dc.access;

import dev.keytrust.dc.schema.AdSchema;
import dev.keytrust.dc.state.DcState;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.directory.server.constants.ServerDNConstants;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Modification;
import org.apache.directory.api.ldap.model.entry.Value;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.exception.LdapOperationException;
import org.apache.directory.api.ldap.model.message.ResultCodeEnum;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.server.core.api.CoreSession;
import org.apache.directory.server.core.api.LdapPrincipal;
import org.apache.directory.server.core.api.interceptor.context.OperationContext;

/**
 * Who may do what, as AD answers it: anonymous clients read the rootDSE and nothing else (operations error);
 * the Administrator and Domain Admins write anything; Key Admins and Enterprise Key Admins write
 * msDS-KeyCredentialLink and nothing else; a computer account writes its own msDS-KeyCredentialLink through AD's
 * validated write, and a user adds computers up to ms-DS-MachineAccountQuota ({@link ComputerRights}); users do not
 * write their own keys; other writes are refused (insufficient access rights); system-only attributes are refused to
 * every client (constraint violation). Every bound client reads msDS-KeyCredentialLink, as in a default AD domain
 * (Authenticated Users are in Pre-Windows 2000 Compatible Access, which reads all properties of users and computers;
 * Samba answers the same).
 */
public final class AccessPolicy {
    /** AD's text for an operation that needs a bind. */
    public static final String BIND_REQUIRED = "000004DC: LdapErr: DSID-0C090A5C, comment: In order to perform this operation "
            + "a successful bind must be completed on the connection., data 0, v4563";

    /** What a principal may do. */
    public enum Role { INTERNAL, ADMIN, KEY_ADMIN, USER, ANONYMOUS }

    private final DcState state;
    private final Dn internalDn;
    private volatile Set<String> admins;
    private volatile Set<String> keyAdmins;
    private final ComputerRights computers;
    private final PrincipalNames principalNames;
    private final org.apache.directory.api.ldap.model.schema.AttributeType unicodePwd;

    public AccessPolicy(DcState state) throws LdapException {
        this.state = state;
        this.computers = new ComputerRights(state);
        this.principalNames = new PrincipalNames(state);
        this.unicodePwd = state.schema.lookupAttributeTypeRegistry(AdSchema.UNICODE_PWD);
        this.internalDn = state.dns.dn(ServerDNConstants.ADMIN_SYSTEM_DN);
    }

    public Role role(OperationContext ctx) throws LdapException {
        CoreSession session = ctx.getSession();
        LdapPrincipal principal = session.getEffectivePrincipal();
        if (session.isAnonymous() || principal == null || principal.getDn() == null || principal.getDn().isEmpty()) {
            return Role.ANONYMOUS;
        }
        Dn dn = principal.getDn();
        if (dn.equals(internalDn)) {
            return Role.INTERNAL;
        }
        String norm = dn.getNormName();
        if (dn.equals(state.dns.administratorDn) || admins(ctx).contains(norm)) {
            return Role.ADMIN;
        }
        return keyAdmins(ctx).contains(norm) ? Role.KEY_ADMIN : Role.USER;
    }

    public void requireBound(OperationContext ctx) throws LdapException {
        if (role(ctx) == Role.ANONYMOUS) {
            throw new LdapOperationException(ResultCodeEnum.OPERATIONS_ERROR, BIND_REQUIRED);
        }
    }

    /**
     * What a client is told about a DN outside the naming contexts this DC serves (ApacheDS's own ou=system,
     * ou=schema, ou=config): as in AD, there is nothing there. Operations error before a bind, no such object after.
     */
    public LdapException outsideNamingContexts(OperationContext ctx) throws LdapException {
        if (role(ctx) == Role.ANONYMOUS) {
            return new LdapOperationException(ResultCodeEnum.OPERATIONS_ERROR, BIND_REQUIRED);
        }
        return new org.apache.directory.api.ldap.model.exception.LdapNoSuchObjectException("0000208D: NameErr: "
                + "DSID-0310028C, problem 2001 (NO_OBJECT), data 0, best match of: ''; " + ctx.getDn().getName()
                + " is in none of this DC's naming contexts (" + state.dns.baseDn.getName() + " and those under it)");
    }

    /** Adds, deletes and renames: Administrator and Domain Admins only. */
    public Role checkStructuralWrite(OperationContext ctx, String what) throws LdapException {
        Role role = role(ctx);
        switch (role) {
            case INTERNAL, ADMIN -> {
                return role;
            }
            case ANONYMOUS -> throw new LdapOperationException(ResultCodeEnum.OPERATIONS_ERROR, BIND_REQUIRED);
            default -> throw denied(ctx, what);
        }
    }

    /**
     * Adds: Administrator and Domain Admins anything; a user a computer account, up to the machine account quota
     * (which also fills in the computer's creator SID and defaults).
     */
    public Role checkAdd(OperationContext ctx, Entry entry) throws LdapException {
        Role role = role(ctx);
        if (role == Role.USER && entry.hasObjectClass("computer")) {
            checkAddAttributes(role, entry);
            computers.checkComputerAdd(admin(ctx), ctx.getSession().getEffectivePrincipal().getDn(), entry);
            principalNames.checkAdd(admin(ctx), entry);
            return role;
        }
        role = checkStructuralWrite(ctx, "add");
        checkAddAttributes(role, entry);
        if (role != Role.INTERNAL) {
            principalNames.checkAdd(admin(ctx), entry);
        }
        return role;
    }

    private static CoreSession admin(OperationContext ctx) {
        return ctx.getSession().getDirectoryService().getAdminSession();
    }

    /** Modifies: Administrator and Domain Admins anything; Key Admins msDS-KeyCredentialLink only. */
    public Role checkModify(OperationContext ctx, List<Modification> mods) throws LdapException {
        Role role = role(ctx);
        if (role == Role.ANONYMOUS) {
            throw new LdapOperationException(ResultCodeEnum.OPERATIONS_ERROR, BIND_REQUIRED);
        }
        if (role == Role.KEY_ADMIN) {
            for (Modification m : mods) {
                if (!m.getAttribute().getAttributeType().equals(state.types.keyCredentialLink)) {
                    throw denied(ctx, "modify " + m.getAttribute().getUpId() + " (Key Admins may write only msDS-KeyCredentialLink)");
                }
            }
        } else if (role == Role.USER) {
            Dn self = ctx.getSession().getEffectivePrincipal().getDn();
            boolean own = state.dns.dn(self.getName()).equals(ctx.getDn());
            if (own && PasswordChanges.isChange(mods, unicodePwd)) {
                // AD's User-Change-Password right: an account may change its own password by giving the old one
                // (PasswordChanges then checks the old password and the minimum age)
                return role;
            } else if (own && computers.isComputer(admin(ctx), ctx.getDn())) {
                computers.checkOwnKeyWrite(admin(ctx), ctx.getDn(), mods);
            } else if (own && mods.stream().allMatch(m -> m.getAttribute().getAttributeType().equals(state.types.keyCredentialLink))) {
                throw denied(ctx, "write its own msDS-KeyCredentialLink (AD grants that validated write to computer "
                        + "accounts only; a user's keys are written by Key Admins or the sync account) on");
            } else {
                throw denied(ctx, "modify");
            }
        }
        if (role != Role.INTERNAL) {
            principalNames.checkModify(admin(ctx), ctx.getDn(), mods);
            for (Modification m : mods) {
                refuseSystemOnly(m.getAttribute().getAttributeType().getName(), m.getAttribute().getUpId());
                refuseNamelessAccount(m);
                if (m.getOperation() != org.apache.directory.api.ldap.model.entry.ModificationOperation.REMOVE_ATTRIBUTE) {
                    checkRanges(m.getAttribute());
                }
            }
        }
        return role;
    }

    /** On add, clients may not set system-only attributes, except objectGUID/objectSid by an administrator. */
    void checkAddAttributes(Role role, Entry entry) throws LdapException {
        if (role == Role.INTERNAL) {
            return;
        }
        checkParent(entry.getDn());
        for (Attribute a : entry) {
            checkRanges(a);
            String name = a.getAttributeType().getName();
            boolean adminSettable = name.equalsIgnoreCase(AdSchema.OBJECT_GUID) || name.equalsIgnoreCase(AdSchema.OBJECT_SID);
            if (!(adminSettable && role == Role.ADMIN)) {
                refuseSystemOnly(name, a.getUpId());
            }
        }
    }

    /**
     * AD's possSuperiors for the classes this DC serves: none lives under a user, computer or group, whether added or
     * moved there (64, naming violation, as AD and Samba answer).
     */
    public void checkParent(Dn dn) throws LdapException {
        Dn parent = dn.getParent();
        if (parent != null && state.objects.samByOwner.containsKey(parent.getNormName())) {
            throw new LdapOperationException(ResultCodeEnum.NAMING_VIOLATION, "00002099: NamingErr: " + parent.getName()
                    + " is an account (user, computer or group); objects live under containers and OUs");
        }
    }

    /** Values a client adds or writes must lie in AD's rangeLower/rangeUpper (21 otherwise, as AD and Samba answer). */
    static void checkRanges(Attribute attribute) throws LdapException {
        if (!attribute.isHumanReadable()) {
            return;
        }
        for (Value v : attribute) {
            String why = AdSchema.outOfRange(attribute.getAttributeType().getName(), v.getString());
            if (why != null) {
                throw new LdapOperationException(ResultCodeEnum.INVALID_ATTRIBUTE_SYNTAX, why);
            }
        }
    }

    /** Forget cached group memberships when a privileged group changes. */
    public void invalidateIfGroup(Dn dn) {
        if (dn.equals(state.dns.domainAdminsDn) || dn.equals(state.dns.keyAdminsDn) || dn.equals(state.dns.enterpriseKeyAdminsDn)) {
            admins = null;
            keyAdmins = null;
        }
    }

    /**
     * A client may not write what the DC maintains: 19 as AD and Samba answer for stamps (objectGUID, whenCreated,
     * uSNChanged...), 53 for objectSid and for back links (memberOf, msDS-KeyCredentialLink-BL), which only writing
     * the forward link changes.
     */
    private static void refuseSystemOnly(String name, String asWritten) throws LdapException {
        var ad = AdSchema.attribute(name);
        if (ad == null || !ad.systemOnly()) {
            return;
        }
        boolean backLink = AdSchema.LINKED_ATTRIBUTES.stream().anyMatch(l -> l.back().equalsIgnoreCase(name));
        if (backLink || name.equalsIgnoreCase(AdSchema.OBJECT_SID)) {
            throw new LdapOperationException(ResultCodeEnum.UNWILLING_TO_PERFORM, "00002035: " + asWritten + " is "
                    + (backLink ? "a back link: write the forward link on the other object instead"
                    : "the account's security identifier, which never changes"));
        }
        throw new LdapOperationException(ResultCodeEnum.CONSTRAINT_VIOLATION, "00002071: AtrErr: " + asWritten
                + " is maintained by the domain controller and cannot be written by a client");
    }

    /** An account keeps its sAMAccountName: removing it is 53, as in AD and Samba (replace it with a new one). */
    private void refuseNamelessAccount(Modification m) throws LdapException {
        boolean removes = m.getOperation() == org.apache.directory.api.ldap.model.entry.ModificationOperation.REMOVE_ATTRIBUTE
                || (m.getOperation() == org.apache.directory.api.ldap.model.entry.ModificationOperation.REPLACE_ATTRIBUTE
                        && m.getAttribute().size() == 0);
        if (removes && m.getAttribute().getAttributeType().equals(state.types.samAccountName)) {
            throw new LdapOperationException(ResultCodeEnum.UNWILLING_TO_PERFORM, "00002035: an account's "
                    + "sAMAccountName cannot be removed; replace it with another name instead");
        }
    }

    private LdapOperationException denied(OperationContext ctx, String what) {
        return new LdapOperationException(ResultCodeEnum.INSUFFICIENT_ACCESS_RIGHTS, "00000005: SecErr: "
                + ctx.getSession().getEffectivePrincipal().getName() + " may not " + what + " " + ctx.getDn().getName()
                + "; bind as the Administrator, or as a member of Key Admins to write msDS-KeyCredentialLink");
    }

    private Set<String> admins(OperationContext ctx) throws LdapException {
        Set<String> s = admins;
        if (s == null) {
            s = members(ctx, state.dns.domainAdminsDn);
            admins = s;
        }
        return s;
    }

    private Set<String> keyAdmins(OperationContext ctx) throws LdapException {
        Set<String> s = keyAdmins;
        if (s == null) {
            s = members(ctx, state.dns.keyAdminsDn);
            s.addAll(members(ctx, state.dns.enterpriseKeyAdminsDn));
            keyAdmins = s;
        }
        return s;
    }

    private Set<String> members(OperationContext ctx, Dn group) throws LdapException {
        Set<String> out = new HashSet<>();
        CoreSession admin = ctx.getSession().getDirectoryService().getAdminSession();
        if (!admin.exists(group)) {
            return out;
        }
        Entry entry = admin.lookup(group, "member");
        Attribute member = entry.get(state.types.member);
        if (member != null) {
            for (Value v : member) {
                out.add(state.dns.dn(v.getString()).getNormName());
            }
        }
        return out;
    }
}

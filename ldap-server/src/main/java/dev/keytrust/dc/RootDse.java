package dev.keytrust.dc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.schema.AttributeType;
import org.apache.directory.server.core.api.DirectoryService;
import org.apache.directory.server.core.api.interceptor.context.FilteringOperationContext;

/**
 * The rootDSE as an AD DC shows it: naming contexts, dsServiceName, serverName, dnsHostName,
 * highestCommittedUSN and currentTime (live), functional levels 7 (Windows Server 2016), plus what ApacheDS
 * itself supports (supportedControl, supportedLDAPVersion, subschemaSubentry). All of it is returned when no
 * attributes (or {@code *}) are asked for, as AD does.
 */
final class RootDse {
    /** Windows Server 2016 functional level. */
    static final String FUNCTIONAL_LEVEL = "7";
    static final String VENDOR = "KeyTrust Testbed (Apache Directory Server 2.0.0.AM27)";

    private static final List<String> DROPPED = List.of("entryUUID", "vendorVersion", "supportedFeatures",
            "supportedSASLMechanisms");

    private final DcState state;
    private final DirectoryService service;

    RootDse(DcState state, DirectoryService service) {
        this.state = state;
        this.service = service;
    }

    void fill(FilteringOperationContext ctx, Entry entry) throws LdapException {
        Entry full = service.getPartitionNexus().getRootDse(null);
        Map<String, String[]> ad = adAttributes();
        for (Map.Entry<String, String[]> e : ad.entrySet()) {
            full.put(state.schema.lookupAttributeTypeRegistry(e.getKey()), e.getValue());
        }
        for (String name : DROPPED) {
            full.removeAttributes(state.schema.lookupAttributeTypeRegistry(name));
        }
        if (!state.config.saslMechanisms().isEmpty()) { // the DC's SASL mechanisms (ApacheDS's own are not served)
            full.put(state.schema.lookupAttributeTypeRegistry("supportedSASLMechanisms"), state.config.saslMechanisms()
                    .stream().map(m -> m.name().toUpperCase(java.util.Locale.ROOT)).toArray(String[]::new));
        }
        entry.clear();
        boolean everything = ctx.getReturningAttributes() == null || ctx.getReturningAttributes().isEmpty()
                || ctx.isAllUserAttributes() || ctx.isAllOperationalAttributes();
        if (ctx.isNoAttributes() && !everything) {
            return;
        }
        for (Attribute a : full) {
            AttributeType at = a.getAttributeType();
            if (everything || RequestedAttributes.byName(ctx, at)) {
                entry.put(a);
            }
        }
        AttributeType status = state.schema.lookupAttributeTypeRegistry(dev.keytrust.dc.schema.AdSchema.REPLICATION_STATUS);
        if (RequestedAttributes.byName(ctx, status) && !state.partners.isEmpty()) {
            entry.put(status, state.partners.values().stream().map(PartnerStatus::toJson).toArray(String[]::new));
        }
    }

    private Map<String, String[]> adAttributes() {
        String base = state.baseDn.getName();
        Map<String, String[]> m = new LinkedHashMap<>();
        m.put("namingContexts", new String[] {base, state.configurationDn.getName(), state.schemaDn.getName()});
        m.put("defaultNamingContext", new String[] {base});
        m.put("rootDomainNamingContext", new String[] {base});
        m.put("configurationNamingContext", new String[] {state.configurationDn.getName()});
        m.put("schemaNamingContext", new String[] {state.schemaDn.getName()});
        m.put("dsServiceName", new String[] {state.ntdsSettingsDn.getName()});
        m.put("serverName", new String[] {state.serverDn.getName()});
        m.put("dnsHostName", new String[] {state.config.dnsHostName()});
        m.put("ldapServiceName", new String[] {state.config.domain() + ":" + state.config.name().toLowerCase()
                + "$@" + state.config.domain().toUpperCase()});
        m.put("highestCommittedUSN", new String[] {String.valueOf(state.usn.get())});
        m.put("currentTime", new String[] {DcState.generalizedTime(state.now())});
        m.put("isSynchronized", new String[] {"TRUE"});
        m.put("isGlobalCatalogReady", new String[] {"FALSE"});
        m.put("domainFunctionality", new String[] {FUNCTIONAL_LEVEL});
        m.put("forestFunctionality", new String[] {FUNCTIONAL_LEVEL});
        m.put("domainControllerFunctionality", new String[] {FUNCTIONAL_LEVEL});
        m.put("vendorName", new String[] {VENDOR});
        return m;
    }
}

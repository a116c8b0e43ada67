package dev.keytrust.dc.face;

import dev.keytrust.dc.DomainControllerConfig;
import dev.keytrust.dc.PartnerStatus;
import dev.keytrust.dc.state.ChangeStamps;
import dev.keytrust.dc.state.DcState;
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
 * highestCommittedUSN and currentTime (live), functional levels 7 (Windows Server 2016) with the
 * supportedCapabilities of an AD DS DC of that level, AD's supportedLDAPPolicies, the controls of AD's
 * supportedControl list this DC honours, supportedSASLMechanisms from the DC's SASL mechanism plug-ins,
 * isGlobalCatalogReady (TRUE when the DC serves a global catalog port), plus supportedLDAPVersion and
 * subschemaSubentry. All of it is returned when no attributes (or {@code *}) are asked for, as AD does.
 */
public final class RootDse {
    /** Windows Server 2016 functional level. */
    static final String FUNCTIONAL_LEVEL = "7";
    static final String VENDOR = "KeyTrust Testbed (Apache Directory Server 2.0.0.AM27)";

    /**
     * supportedCapabilities of a Windows Server 2016 AD DS DC: ACTIVE_DIRECTORY, ACTIVE_DIRECTORY_V51, LDAP_INTEG,
     * ACTIVE_DIRECTORY_V60, ACTIVE_DIRECTORY_V61_R2, ACTIVE_DIRECTORY_W8 ([MS-ADTS] 3.1.1.3.4.3).
     */
    static final List<String> CAPABILITIES = List.of("1.2.840.113556.1.4.800", "1.2.840.113556.1.4.1670",
            "1.2.840.113556.1.4.1791", "1.2.840.113556.1.4.1935", "1.2.840.113556.1.4.2080", "1.2.840.113556.1.4.2237");
    /** AD's supportedLDAPPolicies ([MS-ADTS] 3.1.1.3.4.6). */
    static final List<String> LDAP_POLICIES = List.of("MaxPoolThreads", "MaxPercentDirSyncRequests", "MaxDatagramRecv",
            "MaxReceiveBuffer", "InitRecvTimeout", "MaxConnections", "MaxConnIdleTime", "MaxPageSize",
            "MaxBatchReturnMessages", "MaxQueryDuration", "MaxDirSyncDuration", "MaxTempTableSize", "MaxResultSetSize",
            "MinResultSets", "MaxResultSetsPerConn", "MaxNotificationPerConn", "MaxValRange", "MaxValRangeTransitive",
            "ThreadMemoryLimit", "SystemMemoryLimitPercent");
    /**
     * Controls of AD's supportedControl list ([MS-ADTS] 3.1.1.3.4.1) that this DC honours: paged results, server-side
     * sort, show deleted and SD flags (the AD interceptor), manage DSA IT, and sort's response.
     */
    static final List<String> CONTROLS = List.of("1.2.840.113556.1.4.319", "1.2.840.113556.1.4.473",
            "1.2.840.113556.1.4.474", dev.keytrust.dc.schema.AdSchema.SHOW_DELETED_CONTROL,
            dev.keytrust.dc.schema.AdSchema.SD_FLAGS_CONTROL, "2.16.840.1.113730.3.4.2");

    private static final List<String> DROPPED = List.of("entryUUID", "vendorVersion", "supportedFeatures",
            "supportedSASLMechanisms");

    private final DcState state;
    private final DirectoryService service;

    public RootDse(DcState state, DirectoryService service) {
        this.state = state;
        this.service = service;
    }

    public void fill(FilteringOperationContext ctx, Entry entry) throws LdapException {
        Entry full = service.getPartitionNexus().getRootDse(null);
        Map<String, String[]> ad = adAttributes();
        for (Map.Entry<String, String[]> e : ad.entrySet()) {
            full.put(state.schema.lookupAttributeTypeRegistry(e.getKey()), e.getValue());
        }
        for (String name : DROPPED) {
            full.removeAttributes(state.schema.lookupAttributeTypeRegistry(name));
        }
        List<String> sasl = saslMechanisms(state.config);
        if (!sasl.isEmpty()) { // the DC's SASL mechanisms (ApacheDS's own are not served)
            full.put(state.schema.lookupAttributeTypeRegistry("supportedSASLMechanisms"), sasl.toArray(String[]::new));
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
        if (RequestedAttributes.byName(ctx, status) && !state.replication.partners.isEmpty()) {
            entry.put(status, state.replication.partners.values().stream().map(PartnerStatus::toJson).toArray(String[]::new));
        }
    }

    /**
     * supportedSASLMechanisms: the names of the DC's SASL mechanism plug-ins, upper case, in AD's order (GSSAPI,
     * GSS-SPNEGO, EXTERNAL, DIGEST-MD5) then any other; only what a bind on this DC accepts.
     */
    static List<String> saslMechanisms(DomainControllerConfig config) {
        List<String> order = List.of("GSSAPI", "GSS-SPNEGO", "EXTERNAL", "DIGEST-MD5");
        return config.saslMechanisms().stream().map(m -> m.name().toUpperCase(java.util.Locale.ROOT)).distinct()
                .sorted(java.util.Comparator.comparingInt(n -> order.contains(n) ? order.indexOf(n) : order.size()))
                .toList();
    }

    private Map<String, String[]> adAttributes() {
        String base = state.dns.baseDn.getName();
        Map<String, String[]> m = new LinkedHashMap<>();
        m.put("namingContexts", new String[] {base, state.dns.configurationDn.getName(), state.dns.schemaDn.getName()});
        m.put("defaultNamingContext", new String[] {base});
        m.put("rootDomainNamingContext", new String[] {base});
        m.put("configurationNamingContext", new String[] {state.dns.configurationDn.getName()});
        m.put("schemaNamingContext", new String[] {state.dns.schemaDn.getName()});
        m.put("dsServiceName", new String[] {state.dns.ntdsSettingsDn.getName()});
        m.put("serverName", new String[] {state.dns.serverDn.getName()});
        m.put("dnsHostName", new String[] {state.config.dnsHostName()});
        m.put("ldapServiceName", new String[] {state.config.domain() + ":" + state.config.name().toLowerCase()
                + "$@" + state.config.domain().toUpperCase()});
        m.put("highestCommittedUSN", new String[] {String.valueOf(state.stamps.usn.get())});
        m.put("currentTime", new String[] {ChangeStamps.generalizedTime(state.stamps.now())});
        m.put("isSynchronized", new String[] {"TRUE"});
        m.put("isGlobalCatalogReady", new String[] {state.config.globalCatalogPort().isPresent() ? "TRUE" : "FALSE"});
        m.put("supportedCapabilities", CAPABILITIES.toArray(String[]::new));
        m.put("supportedLDAPPolicies", LDAP_POLICIES.toArray(String[]::new));
        m.put("supportedControl", CONTROLS.toArray(String[]::new));
        m.put("domainFunctionality", new String[] {FUNCTIONAL_LEVEL});
        m.put("forestFunctionality", new String[] {FUNCTIONAL_LEVEL});
        m.put("domainControllerFunctionality", new String[] {FUNCTIONAL_LEVEL});
        m.put("vendorName", new String[] {VENDOR});
        return m;
    }
}

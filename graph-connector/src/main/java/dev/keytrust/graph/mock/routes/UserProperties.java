package dev.keytrust.graph.mock.routes;

import dev.keytrust.graph.mock.DeviceKey;
import dev.keytrust.graph.mock.GraphUser;
import dev.keytrust.graph.mock.directory.GraphDirectory;
import dev.keytrust.graph.mock.directory.GraphDirectory.StoredUser;
import dev.keytrust.graph.mock.http.GraphError;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The properties of Graph's v1.0 {@code user} resource as the mock shows them: {@code $select} takes any of them
 * (what the mock stores has its value; the rest are null or empty collections, as for a tenant that never set them),
 * the default set without {@code $select}, and {@code $expand} of {@code manager} and {@code memberOf}.
 */
final class UserProperties {
    static final List<String> DEFAULT = List.of("businessPhones", "displayName", "givenName", "jobTitle", "mail",
            "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id");
    /** Every property of v1.0 {@code microsoft.graph.user} (and beta's {@code deviceKeys}). */
    static final List<String> ALL = List.of("aboutMe", "accountEnabled", "ageGroup", "assignedLicenses", "assignedPlans",
            "authorizationInfo", "birthday", "businessPhones", "city", "companyName", "consentProvidedForMinor", "country",
            "createdDateTime", "creationType", "customSecurityAttributes", "deletedDateTime", "department", "displayName",
            "employeeHireDate", "employeeId", "employeeLeaveDateTime", "employeeOrgData", "employeeType",
            "externalUserState", "externalUserStateChangeDateTime", "faxNumber", "givenName", "hireDate", "id",
            "identities", "imAddresses", "interests", "isManagementRestricted", "isResourceAccount", "jobTitle",
            "lastPasswordChangeDateTime", "legalAgeGroupClassification", "licenseAssignmentStates", "mail",
            "mailboxSettings", "mailNickname", "mobilePhone", "mySite", "officeLocation", "onPremisesDistinguishedName",
            "onPremisesDomainName", "onPremisesExtensionAttributes", "onPremisesImmutableId", "onPremisesLastSyncDateTime",
            "onPremisesProvisioningErrors", "onPremisesSamAccountName", "onPremisesSecurityIdentifier",
            "onPremisesSyncEnabled", "onPremisesUserPrincipalName", "otherMails", "passwordPolicies", "passwordProfile",
            "pastProjects", "postalCode", "preferredDataLocation", "preferredLanguage", "preferredName",
            "provisionedPlans", "proxyAddresses", "responsibilities", "schools", "securityIdentifier",
            "serviceProvisioningErrors", "showInAddressList", "signInActivity", "signInSessionsValidFromDateTime", "skills",
            "state", "streetAddress", "surname", "usageLocation", "userPrincipalName", "userType", "deviceKeys");
    /** Properties Graph returns only on the GET of one user, never on a list. */
    static final Set<String> SINGLE_USER_ONLY = Set.of("aboutMe", "birthday", "hireDate", "interests", "mailboxSettings",
            "mySite", "pastProjects", "preferredName", "responsibilities", "schools", "skills");
    private static final Set<String> COLLECTIONS = Set.of("assignedLicenses", "assignedPlans", "businessPhones",
            "imAddresses", "interests", "licenseAssignmentStates", "onPremisesProvisioningErrors", "otherMails",
            "pastProjects", "provisionedPlans", "proxyAddresses", "responsibilities", "schools",
            "serviceProvisioningErrors", "skills");
    /** Navigation properties of a user: the mock expands the first two and refuses the others by name. */
    private static final List<String> NAVIGATION = List.of("manager", "memberOf", "directReports", "transitiveMemberOf",
            "ownedDevices", "registeredDevices", "ownedObjects", "createdObjects", "appRoleAssignments", "authentication",
            "extensions", "photo", "licenseDetails", "oauth2PermissionGrants", "sponsors");
    private static final Pattern EXPAND_ITEM = Pattern.compile("\\s*([A-Za-z]+)\\s*(?:\\(\\s*\\$?select\\s*=\\s*([^()]*)\\))?\\s*");

    /** One {@code $expand} item: {@code manager} or {@code memberOf}, with the properties its {@code $select} asks for. */
    record Expansion(String property, List<String> select) {
    }

    private UserProperties() {
    }

    /**
     * The properties to show: the default set, or those {@code $select}ed (id always), checked against the type.
     *
     * @param single whether one user is read ({@code GET /users/{id}}); lists refuse {@link #SINGLE_USER_ONLY}
     */
    static List<String> select(String version, String select, boolean single) {
        if (select == null || select.isBlank()) {
            return DEFAULT;
        }
        List<String> out = new ArrayList<>();
        for (String raw : select.split(",")) {
            String name = raw.trim();
            String known = ALL.stream().filter(p -> p.equalsIgnoreCase(name)).findFirst().orElse(null);
            if (known == null || "deviceKeys".equals(known) && !"beta".equals(version)) {
                throw GraphError.badRequest("Parsing OData Select and Expand failed: Could not find a property named '"
                        + name + "' on type 'microsoft.graph.user'.");
            }
            if (!single && SINGLE_USER_ONLY.contains(known)) {
                throw new GraphError(400, "Request_UnsupportedQuery", "The property '" + known + "' is returned only "
                        + "when one user is read (GET /users/{id}), not on a list of users.");
            }
            if (!out.contains(known)) {
                out.add(known);
            }
        }
        if (!out.contains("id")) {
            out.add("id");
        }
        return out;
    }

    /** The {@code $expand} items: {@code manager} and {@code memberOf}, each with an optional {@code ($select=...)}. */
    static List<Expansion> expand(String version, String expand) {
        if (expand == null || expand.isBlank()) {
            return List.of();
        }
        List<Expansion> out = new ArrayList<>();
        for (String item : splitTopLevel(expand)) {
            Matcher m = EXPAND_ITEM.matcher(item);
            if (!m.matches()) {
                throw GraphError.badRequest("Parsing OData Select and Expand failed: '" + abbreviate(item) + "' is not a "
                        + "navigation property with an optional ($select=...); this mock takes manager and memberOf.");
            }
            String name = NAVIGATION.stream().filter(n -> n.equalsIgnoreCase(m.group(1))).findFirst().orElseThrow(() ->
                    GraphError.badRequest("Parsing OData Select and Expand failed: Could not find a property named '"
                            + m.group(1) + "' on type 'microsoft.graph.user'."));
            if (!name.equals("manager") && !name.equals("memberOf")) {
                throw new GraphError(400, "Request_UnsupportedQuery", "Expanding '" + name + "' is not supported by this "
                        + "mock; it expands manager and memberOf on users. See the README's Graph mock fidelity table.");
            }
            List<String> select = m.group(2) == null ? null : select(version, m.group(2), false);
            if (out.stream().anyMatch(e -> e.property().equals(name))) {
                throw GraphError.badRequest("The navigation property '" + name + "' is expanded twice.");
            }
            out.add(new Expansion(name, select));
        }
        return out;
    }

    /** The user's expanded navigation properties, added to {@code projected}. */
    static void addExpansions(Map<String, Object> projected, StoredUser u, List<Expansion> expansions, GraphDirectory directory) {
        for (Expansion e : expansions) {
            if (e.property().equals("memberOf")) {
                projected.put("memberOf", List.of()); // the mock has no groups or roles
                continue;
            }
            Optional<StoredUser> manager = u.managerId() == null ? Optional.empty() : directory.find(u.managerId());
            manager.ifPresent(m -> {
                Map<String, Object> shown = new LinkedHashMap<>();
                shown.put("@odata.type", "#microsoft.graph.user");
                shown.putAll(project(m, e.select() == null ? DEFAULT : e.select()));
                projected.put("manager", shown);
            });
        }
    }

    /** The user's {@code properties}, in that order. */
    static Map<String, Object> project(StoredUser stored, List<String> properties) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String p : properties) {
            out.put(p, value(stored, p));
        }
        return out;
    }

    private static Object value(StoredUser stored, String property) {
        GraphUser u = stored.user();
        if (COLLECTIONS.contains(property)) {
            return List.of();
        }
        boolean synced = Boolean.TRUE.equals(u.onPremisesSyncEnabled());
        return switch (property) {
            case "id" -> u.id();
            case "accountEnabled" -> u.accountEnabled();
            case "displayName" -> u.displayName();
            case "givenName" -> u.givenName();
            case "mail" -> u.mail();
            case "surname" -> u.surname();
            case "userPrincipalName" -> u.userPrincipalName();
            case "mailNickname" -> u.userPrincipalName().substring(0, u.userPrincipalName().indexOf('@'));
            case "userType" -> "Member";
            case "createdDateTime" -> time(stored.created());
            case "deletedDateTime" -> time(stored.deleted());
            case "identities" -> List.of(Map.of("signInType", "userPrincipalName", "issuer",
                    u.userPrincipalName().substring(u.userPrincipalName().indexOf('@') + 1).toLowerCase(Locale.ROOT),
                    "issuerAssignedId", u.userPrincipalName()));
            case "onPremisesImmutableId" -> u.onPremisesImmutableId();
            case "onPremisesSecurityIdentifier" -> u.onPremisesSecurityIdentifier();
            case "onPremisesSyncEnabled" -> u.onPremisesSyncEnabled();
            case "onPremisesSamAccountName" -> u.onPremisesSamAccountName();
            case "onPremisesDistinguishedName" -> u.onPremisesDistinguishedName();
            case "onPremisesDomainName" -> u.onPremisesDomainName();
            case "onPremisesUserPrincipalName" -> synced ? u.userPrincipalName() : null;
            case "onPremisesLastSyncDateTime" -> synced ? time(stored.created()) : null;
            case "onPremisesExtensionAttributes" -> extensionAttributes();
            case "deviceKeys" -> deviceKeys(stored);
            default -> null;
        };
    }

    private static Map<String, Object> extensionAttributes() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 1; i <= 15; i++) {
            out.put("extensionAttribute" + i, null);
        }
        return out;
    }

    private static String time(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static List<Object> deviceKeys(StoredUser u) {
        List<Object> out = new ArrayList<>();
        for (DeviceKey k : u.keys()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("deviceId", k.deviceId().toString());
            item.put("keyMaterial", k.keyMaterialBase64());
            item.put("keyType", k.keyType());
            out.add(item);
        }
        return out;
    }

    /** Splits on commas outside parentheses. */
    private static List<String> splitTopLevel(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}

// Real npm clients against the KeyTrust Graph mock, configured only as their documentation says for a custom
// authority host: the authority host / authority URL, instance discovery off (or the host as a known authority), the
// mock's CA through NODE_EXTRA_CA_CERTS, and the mock's host as an allowed / custom Graph host.
// Input (environment): MOCK_BASE, TENANT, CLIENT_ID, CLIENT_SECRET, CLIENT_CERT_PEM (private key + certificate),
// MOCK_ADMIN_TOKEN (the mock's admin token, for the changes between two delta rounds). Output: one JSON line.
import { ClientSecretCredential, ClientCertificateCredential } from "@azure/identity";
import { ConfidentialClientApplication } from "@azure/msal-node";
import { Client, PageIterator } from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js";
import { AzureIdentityAuthenticationProvider } from "@microsoft/kiota-authentication-azure";
import { createGraphServiceClient, GraphRequestAdapter } from "@microsoft/msgraph-sdk";
import "@microsoft/msgraph-sdk-users";
import { createHash, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is not set`);
  return v;
};
const base = env("MOCK_BASE");
const host = new URL(base).host;
const hostname = new URL(base).hostname;
const tenant = env("TENANT");
const clientId = env("CLIENT_ID");
const secret = env("CLIENT_SECRET");
const pemPath = env("CLIENT_CERT_PEM");
const scope = "https://graph.microsoft.com/.default";
const out = {};

// @azure/identity: authorityHost plus disableInstanceDiscovery, as documented for custom clouds.
const identityOptions = { authorityHost: base, disableInstanceDiscovery: true };
const secretCredential = new ClientSecretCredential(tenant, clientId, secret, identityOptions);
out.identitySecretToken = !!(await secretCredential.getToken(scope)).token;
const certCredential = new ClientCertificateCredential(tenant, clientId, { certificatePath: pemPath }, identityOptions);
out.identityCertificateToken = !!(await certCredential.getToken(scope)).token;

// @azure/msal-node: the authority URL with the mock's host as a known authority (no instance discovery).
const pem = readFileSync(pemPath, "utf8");
const certPem = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)[0];
const keyPem = pem.match(/-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/)[0];
const msalAuth = { clientId, authority: `${base}/${tenant}`, knownAuthorities: [host] };
const msalSecret = new ConfidentialClientApplication({ auth: { ...msalAuth, clientSecret: secret } });
out.msalSecretToken = !!(await msalSecret.acquireTokenByClientCredential({ scopes: [scope] }))?.accessToken;
const thumbprintSha256 = createHash("sha256").update(new X509Certificate(certPem).raw).digest("hex");
const msalCert = new ConfidentialClientApplication({
  auth: { ...msalAuth, clientCertificate: { thumbprintSha256, privateKey: keyPem } },
});
out.msalCertificateToken = !!(await msalCert.acquireTokenByClientCredential({ scopes: [scope] }))?.accessToken;

// @microsoft/microsoft-graph-client: baseUrl and customHosts, a TokenCredential auth provider; paging with PageIterator.
const legacy = Client.initWithMiddleware({
  baseUrl: `${base}/`,
  customHosts: new Set([hostname]),
  authProvider: new TokenCredentialAuthenticationProvider(secretCredential, { scopes: [scope] }),
});
const firstPage = await legacy.api("/users").top(2).get();
const legacyUsers = [];
await new PageIterator(legacy, firstPage, (u) => { legacyUsers.push(u.userPrincipalName); return true; }).iterate();
out.graphClientUsers = legacyUsers;

// @microsoft/msgraph-sdk (Kiota): the adapter's base URL and the mock's host as an allowed host.
const adapter = new GraphRequestAdapter(new AzureIdentityAuthenticationProvider(certCredential, [scope], undefined, new Set([hostname])));
adapter.baseUrl = `${base}/v1.0`;
const graph = createGraphServiceClient(adapter);
const kiotaUsers = [];
let page = await graph.users.get({ queryParameters: { top: 2, select: ["id", "userPrincipalName"] } });
while (page) {
  for (const u of page.value ?? []) kiotaUsers.push(u.userPrincipalName);
  page = page.odataNextLink ? await graph.users.withUrl(page.odataNextLink).get() : undefined;
}
out.kiotaUsers = kiotaUsers;

// Delta: a full round, then changes made through the mock's admin API (an addition, a profile change, a soft
// deletion as Graph's DELETE /users/{id} makes it, a permanent deletion), then the next round with either SDK.
async function deltaRound(link) {
  const changes = [];
  let p = link ? await graph.users.delta.withUrl(link).get() : await graph.users.delta.get();
  for (;;) {
    for (const u of p.value ?? []) changes.push(change(u.id, u.userPrincipalName, u.displayName, u.additionalData?.["@removed"]));
    if (p.odataNextLink) p = await graph.users.delta.withUrl(p.odataNextLink).get();
    else return { changes, deltaLink: p.odataDeltaLink };
  }
}
function change(id, upn, displayName, removed) {
  return { id, upn: upn ?? null, displayName: displayName ?? null, removed: removed?.reason ?? null };
}
async function legacyDeltaRound(link) {
  const changes = [];
  let p = await legacy.api(link).get();
  for (;;) {
    for (const u of p.value ?? []) changes.push(change(u.id, u.userPrincipalName, u.displayName, u["@removed"]));
    if (p["@odata.nextLink"]) p = await legacy.api(p["@odata.nextLink"]).get();
    else return changes;
  }
}
const admin = async (method, path, body) => {
  const r = await fetch(`${base}/_admin${path}`, {
    method,
    headers: { "content-type": "application/json", ...(process.env.MOCK_ADMIN_TOKEN ? { authorization: `Bearer ${process.env.MOCK_ADMIN_TOKEN}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!r.ok) throw new Error(`admin ${method} ${path}: ${r.status} ${await r.text()}`);
  return r.status === 204 ? null : r.json();
};
const initial = await deltaRound();
out.deltaInitial = initial.changes.length;
const added = await admin("POST", "/users", { userPrincipalName: "node.added@corp.example.com", displayName: "Node Added" });
const renamed = initial.changes[2].id;
await admin("PATCH", `/users/${renamed}`, { displayName: "Node Renamed" });
const softDeleted = initial.changes[3].id;
await admin("DELETE", `/users/${softDeleted}`);
const purged = initial.changes[4].id;
await admin("DELETE", `/users/${purged}`);
await admin("DELETE", `/deletedUsers/${purged}`);
const second = await deltaRound(initial.deltaLink);
out.deltaChanges = second.changes;
out.legacyDeltaChanges = await legacyDeltaRound(initial.deltaLink);
out.deltaAddedId = added.id;
out.deltaRenamedId = renamed;
out.deltaSoftDeletedId = softDeleted;
out.deltaPurgedId = purged;

// The WHfB methods of a user, through the Kiota SDK.
const keyed = process.env.KEYED_USER;
if (keyed) {
  const methods = await graph.users.byUserId(keyed).authentication.windowsHelloForBusinessMethods.get();
  out.whfbMethods = (methods.value ?? []).map((m) => m.displayName);
  const legacyMethods = await legacy.api(`/users/${keyed}/authentication/windowsHelloForBusinessMethods`).get();
  out.legacyWhfbMethods = (legacyMethods.value ?? []).map((m) => m.displayName);
}
console.log(JSON.stringify(out));

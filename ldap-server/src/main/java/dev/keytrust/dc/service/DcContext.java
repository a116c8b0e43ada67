package dev.keytrust.dc.service;

import java.time.Clock;
import java.util.Locale;

/**
 * What a hosted service or bind mechanism knows of the DC that hosts it.
 *
 * @param name the DC's name ({@code DC1})
 * @param host the host its listeners bind to
 * @param domain the domain's DNS name, lower case ({@code corp.example.com})
 * @param baseDn the domain's DN
 * @param clock the DC's clock (the testbed's scaled clock in a lab): never read the wall clock
 * @param directory a read-only view of this DC's own directory
 */
public record DcContext(String name, String host, String domain, String baseDn, Clock clock, DirectoryView directory) {
    /** The Kerberos-style realm: the domain's DNS name in upper case ({@code CORP.EXAMPLE.COM}). */
    public String realm() {
        return domain.toUpperCase(Locale.ROOT);
    }

    /** The DC's DNS host name ({@code dc1.corp.example.com}), as in its dNSHostName and SPNs. */
    public String dnsHostName() {
        return name.toLowerCase(Locale.ROOT) + "." + domain;
    }
}

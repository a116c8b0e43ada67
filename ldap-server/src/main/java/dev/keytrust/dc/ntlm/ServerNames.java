package dev.keytrust.dc.ntlm;

import dev.keytrust.dc.service.DcContext;
import java.util.Locale;

/**
 * The names a DC tells NTLM clients in its CHALLENGE: {@code CORP}, {@code DC1}, {@code corp.example.com},
 * {@code dc1.corp.example.com}.
 */
public record ServerNames(String netbiosDomain, String netbiosComputer, String dnsDomain, String dnsComputer) {
    /** The names of the DC {@code context} describes (NetBIOS domain: the DNS name's first label, upper case). */
    public static ServerNames of(DcContext context) {
        String domain = context.domain().toLowerCase(Locale.ROOT);
        int dot = domain.indexOf('.');
        String netbios = (dot < 0 ? domain : domain.substring(0, dot)).toUpperCase(Locale.ROOT);
        String computer = context.name().toUpperCase(Locale.ROOT);
        return new ServerNames(netbios, computer, domain, computer.toLowerCase(Locale.ROOT) + "." + domain);
    }
}

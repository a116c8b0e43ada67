package dev.keytrust.kdc.protocol;

import org.apache.kerby.kerberos.kerb.type.KerberosTime;
import org.apache.kerby.kerberos.kerb.type.kdc.KdcOption;
import org.apache.kerby.kerberos.kerb.type.kdc.KdcReqBody;

/**
 * A new ticket's times (RFC 4120 3.1.3): it starts now, ends at the earliest of the requested {@code till} and
 * now plus the ticket lifetime (and never after {@code limit}, the TGT's end in a TGS exchange), and is renewable
 * until the earliest of the requested {@code rtime} and now plus the renewable lifetime, when asked for.
 *
 * @param authTime when the client authenticated
 * @param startTime when the ticket starts
 * @param endTime when it ends
 * @param renewTill until when it can be renewed, or {@code null}
 */
public record TicketTimes(KerberosTime authTime, KerberosTime startTime, KerberosTime endTime,
                          KerberosTime renewTill) {

    /** The times for a ticket asked for in {@code body}, first authenticated at {@code authTime}. */
    public static TicketTimes forRequest(Request request, KdcReqBody body, KerberosTime authTime) {
        return forRequest(request, body, authTime, null, null);
    }

    /** As above, never past {@code endLimit} and {@code renewLimit} (the TGT's) when given. */
    public static TicketTimes forRequest(Request request, KdcReqBody body, KerberosTime authTime,
                                         KerberosTime endLimit, KerberosTime renewLimit) {
        long now = request.now().toEpochMilli();
        long end = now + request.config().ticketLifetime().toMillis();
        if (body.getTill() != null && body.getTill().getTime() > 0) {
            end = Math.min(end, body.getTill().getTime());
        }
        if (endLimit != null) {
            end = Math.min(end, endLimit.getTime());
        }
        KerberosTime renewTill = null;
        boolean renewable = body.getKdcOptions() != null
                && body.getKdcOptions().isFlagSet(KdcOption.RENEWABLE);
        if (renewable && (renewLimit != null || endLimit == null)) {
            long renew = now + request.config().renewLifetime().toMillis();
            if (body.getRtime() != null && body.getRtime().getTime() > 0) {
                renew = Math.min(renew, body.getRtime().getTime());
            }
            if (renewLimit != null) {
                renew = Math.min(renew, renewLimit.getTime());
            }
            if (renew > end) {
                renewTill = new KerberosTime(renew);
            }
        }
        if (end <= now) {
            throw new KdcRefusal(org.apache.kerby.kerberos.kerb.KrbErrorCode.KDC_ERR_NEVER_VALID,
                    "the requested end time has passed");
        }
        return new TicketTimes(authTime, new KerberosTime(now), new KerberosTime(end), renewTill);
    }

    /**
     * The times of a renewed ticket (RFC 4120 3.3.3): the same auth time and renew-till, starting now and lasting
     * as long as the old ticket did, but never past its renew-till.
     */
    public static TicketTimes renewal(Request request, org.apache.kerby.kerberos.kerb.type.ticket.EncTicketPart old) {
        long now = request.now().toEpochMilli();
        long start = old.getStartTime() != null ? old.getStartTime().getTime() : old.getAuthTime().getTime();
        long end = Math.min(old.getRenewtill().getTime(), now + (old.getEndTime().getTime() - start));
        return new TicketTimes(old.getAuthTime(), new KerberosTime(now), new KerberosTime(end), old.getRenewtill());
    }
}

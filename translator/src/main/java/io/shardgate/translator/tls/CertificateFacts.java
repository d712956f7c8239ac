package io.shardgate.translator.tls;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What a parsed and key-matched certificate says, everything the per-host checks need.
 *
 * @param dnsNames the leaf's DNS subject alternative names, lower-cased
 */
public record CertificateFacts(String subject, List<String> dnsNames, Instant notBefore, Instant notAfter) {

    public CertificateFacts {
        dnsNames = List.copyOf(dnsNames);
    }

    /**
     * Whether a DNS name covers the host as TLS clients check it (RFC 6125): equal, or a "*." name
     * covering exactly one more leftmost label. A wildcard domain is covered only by the same wildcard.
     */
    public boolean covers(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String name : dnsNames) {
            if (name.equals(h)) return true;
            if (name.startsWith("*.") && !h.startsWith("*.")) {
                int dot = h.indexOf('.');
                if (dot > 0 && h.substring(dot + 1).equals(name.substring(2))) return true;
            }
        }
        return false;
    }
}

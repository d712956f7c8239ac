package io.shardgate.node.tls;

import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The identities a certificate proves: its URI subject alternative names (SPIFFE IDs such as
 * {@code spiffe://cluster.local/ns/shardgate/sa/shardgate-gateway-public}) and its DNS names. The subject's
 * common name is not an identity (RFC 6125 deprecates it, and SPIFFE never uses it).
 */
public final class CertificateIdentities {
    private static final int DNS = 2;
    private static final int URI = 6;

    private CertificateIdentities() {}

    /** The identities of a chain's leaf; empty for no chain or a leaf with no usable name. */
    public static Set<String> of(List<? extends Certificate> chain) {
        Set<String> identities = new TreeSet<>();
        if (chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate leaf)) return identities;
        try {
            Collection<List<?>> names = leaf.getSubjectAlternativeNames();
            if (names == null) return identities;
            for (List<?> name : names) {
                int type = (Integer) name.get(0);
                if ((type == URI || type == DNS) && name.get(1) instanceof String value) identities.add(value);
            }
        } catch (CertificateParsingException e) {
            return new TreeSet<>();
        }
        return identities;
    }
}

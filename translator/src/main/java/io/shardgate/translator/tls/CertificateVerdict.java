package io.shardgate.translator.tls;

/** The outcome of inspecting a TLS Secret's certificate and key, before any host or clock is considered. */
public sealed interface CertificateVerdict {

    record Usable(CertificateFacts facts) implements CertificateVerdict {}

    /** @param reason one of the Tls* {@link io.shardgate.translator.Reasons} */
    record Unusable(String reason, String message) implements CertificateVerdict {}
}

package io.shardgate.translator;

/**
 * The stable {@link Problem#reason()} values: metric labels and Kubernetes Event reasons. Adding one is
 * fine; renaming one breaks dashboards and alerts.
 */
public final class Reasons {
    /** The host is not an RFC 1123 name (a wildcard only as the whole leftmost label). Domain rejected. */
    public static final String INVALID_HOST = "InvalidHost";
    /**
     * An Ingress in another namespace, or an object of another kind, claimed the host first. The loser's rules are
     * not served.
     */
    public static final String HOST_CONFLICT = "HostConflict";
    /** A path that is not absolute, has characters outside RFC 3986, an unknown pathType or a bad regex. Path dropped. */
    public static final String INVALID_PATH = "InvalidPath";
    /** An HTTPRoute's header, query parameter or method match that is invalid or not supported. The match is left out. */
    public static final String INVALID_MATCH = "InvalidMatch";
    /**
     * A field Shardgate does not implement yet (docs/gateway-api.md): a rule with filters answers 500 rather than
     * serve its requests without them; other fields are ignored.
     */
    public static final String UNSUPPORTED_FIELD = "UnsupportedField";
    /**
     * An HTTPRoute filter that cannot be applied: a header name that is not a token, Host, a value with control
     * characters, a name given twice, more than 16 entries, or a filter type given twice. The rule answers 500.
     */
    public static final String INVALID_FILTER = "InvalidFilter";
    /** An HTTPRoute timeout that is not a Gateway API duration. The node's default route timeout applies. */
    public static final String INVALID_TIMEOUT = "InvalidTimeout";
    /**
     * An HTTPRoute retry that cannot be applied: a code outside 400..599, negative attempts, a backoff that is not a
     * Gateway API duration of at least 1ms. The rule is served without retries.
     */
    public static final String INVALID_RETRY = "InvalidRetry";
    /** Another Ingress (older, or earlier in the same Ingress) already routes the same path and type. */
    public static final String DUPLICATE_PATH = "DuplicatePath";
    /** The backend Service does not exist. The route answers 503. */
    public static final String SERVICE_NOT_FOUND = "ServiceNotFound";
    /** The backend Service has no such port (name or number). The route answers 503. */
    public static final String PORT_NOT_FOUND = "PortNotFound";
    /** A resource backend or an ExternalName Service. The route answers 503. */
    public static final String UNSUPPORTED_BACKEND = "UnsupportedBackend";
    /** A Gateway listener's certificateRefs name no Secret, or something else than a Secret. HTTPS is not served. */
    public static final String INVALID_CERTIFICATE_REF = "InvalidCertificateRef";
    /** A reference to another namespace that no ReferenceGrant allows. The route answers 500. */
    public static final String REF_NOT_PERMITTED = "RefNotPermitted";
    /** The TLS Secret does not exist (or is not of type kubernetes.io/tls). Domain served on plain HTTP only. */
    public static final String TLS_SECRET_MISSING = "TlsSecretMissing";
    /** The TLS Secret's certificate or key does not parse. Domain served on plain HTTP only. */
    public static final String TLS_SECRET_INVALID = "TlsSecretInvalid";
    /** The certificate is past its notAfter. Domain served on plain HTTP only. */
    public static final String TLS_CERTIFICATE_EXPIRED = "TlsCertificateExpired";
    /** The private key does not belong to the certificate. Domain served on plain HTTP only. */
    public static final String TLS_KEY_MISMATCH = "TlsKeyMismatch";
    /** The certificate's subject alternative names do not cover the host. Domain served on plain HTTP only. */
    public static final String TLS_HOST_MISMATCH = "TlsHostMismatch";
    /** Two TLS entries name different Secrets for one host; the older Ingress's entry is used. */
    public static final String TLS_SECRET_CONFLICT = "TlsSecretConflict";
    /** An annotation value that cannot be understood. The feature is left off (or the routes fail closed). */
    public static final String INVALID_ANNOTATION = "InvalidAnnotation";
    /** An annotation Shardgate does not implement. Ignored, or the routes fail closed for access control. */
    public static final String UNSUPPORTED_ANNOTATION = "UnsupportedAnnotation";
    /** A valid annotation whose value cannot be honoured in Envoy's model (see docs/translation.md). */
    public static final String ANNOTATION_NOT_APPLIED = "AnnotationNotApplied";
    /** An Ingress beyond a size limit (hosts, paths, path or annotation length; see InputLimits). The excess is not served. */
    public static final String INPUT_TOO_LARGE = "InputTooLarge";
    /** Translating the domain failed inside Shardgate (a bug, or input that defeats it). Domain rejected, nothing else affected. */
    public static final String TRANSLATION_FAILED = "TranslationFailed";
    /**
     * A wildcard or catch-all host of a gateway in the scoped layout: Envoy selects plain-HTTP scopes by the exact
     * Host, so the host is not served on plain HTTP (HTTPS still serves a wildcard). docs/envoy.md, "Scoped layout".
     */
    public static final String NOT_SCOPED = "HostNotScoped";
    /** A generated resource failed Envoy's protoc-gen-validate rules: a translator bug. Domain rejected. */
    public static final String ENVOY_VALIDATION_FAILED = "EnvoyValidationFailed";

    /** An Envoy rejected (NACKed) a resource built from the object: reported by the node, not the translator. */
    public static final String ENVOY_REJECTED = "EnvoyRejected";

    /** Every reason, in declaration order (so a metric can be exported per reason from the start, at zero). */
    public static java.util.List<String> all() {
        java.util.List<String> all = new java.util.ArrayList<>();
        for (java.lang.reflect.Field field : Reasons.class.getFields()) {
            if (field.getType() == String.class && java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                try {
                    all.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return all;
    }

    private Reasons() {}
}

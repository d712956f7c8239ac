package io.shardgate.translator.model;

import io.shardgate.translator.input.ObjectRef;

/**
 * One route of a domain, in precedence order inside {@link DomainModel#routes()}.
 *
 * @param source        the object the route comes from
 * @param conditions      what the request must have besides its path
 * @param requestHeaders  edits to the request it forwards
 * @param responseHeaders edits to the response
 * @param forwarding      mirrors and retries of the requests it forwards
 * @param serving         on which of the domain's virtual hosts (plain HTTP, HTTPS) it acts
 */
public record RouteModel(ObjectRef source, PathMatch match, Conditions conditions, HeaderEdits requestHeaders,
        HeaderEdits responseHeaders, Forwarding forwarding, RouteAction action, Serving serving) {

    /** A route matching on its path alone, editing no header, mirroring nothing. */
    public RouteModel(ObjectRef source, PathMatch match, RouteAction action, Serving serving) {
        this(source, match, Conditions.NONE, HeaderEdits.NONE, HeaderEdits.NONE, Forwarding.NONE, action, serving);
    }

    public RouteModel withServing(Serving serving) {
        return new RouteModel(source, match, conditions, requestHeaders, responseHeaders, forwarding, action, serving);
    }

    /** Where a route acts. A domain without a valid certificate has no HTTPS virtual host at all. */
    public enum Serving {
        /** On plain HTTP and on HTTPS. */
        BOTH,
        /** On HTTPS; on plain HTTP it redirects to https instead (Ingress ssl-redirect). */
        HTTPS_REDIRECTING_PLAIN,
        /** On plain HTTP only (an HTTPRoute attached through HTTP listeners only). */
        PLAIN_ONLY,
        /** On HTTPS only: absent from the plain-HTTP virtual host (an HTTPRoute attached through HTTPS listeners only). */
        HTTPS_ONLY;

        public boolean onPlain() {
            return this != HTTPS_ONLY;
        }

        public boolean onHttps() {
            return this != PLAIN_ONLY;
        }

        public boolean redirectsPlain() {
            return this == HTTPS_REDIRECTING_PLAIN;
        }
    }
}

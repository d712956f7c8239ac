package io.shardgate.translator.model;

import io.shardgate.translator.input.ObjectRef;

/**
 * One route of a domain, in precedence order inside {@link DomainModel#routes()}.
 *
 * @param source        the object the route comes from
 * @param conditions      what the request must have besides its path
 * @param requestHeaders  edits to the request it forwards
 * @param responseHeaders edits to the response
 * @param redirectHttp    on the plain-HTTP virtual host, redirect to https instead of acting
 */
public record RouteModel(ObjectRef source, PathMatch match, Conditions conditions, HeaderEdits requestHeaders,
        HeaderEdits responseHeaders, RouteAction action, boolean redirectHttp) {

    /** A route matching on its path alone, editing no header. */
    public RouteModel(ObjectRef source, PathMatch match, RouteAction action, boolean redirectHttp) {
        this(source, match, Conditions.NONE, HeaderEdits.NONE, HeaderEdits.NONE, action, redirectHttp);
    }
}

package io.shardgate.translator.model;

import io.shardgate.translator.input.ObjectRef;

/**
 * One route of a domain, in precedence order inside {@link DomainModel#routes()}.
 *
 * @param source        the Ingress the route comes from
 * @param redirectHttp  on the plain-HTTP virtual host, redirect to https instead of acting
 */
public record RouteModel(ObjectRef source, PathMatch match, RouteAction action, boolean redirectHttp) {}

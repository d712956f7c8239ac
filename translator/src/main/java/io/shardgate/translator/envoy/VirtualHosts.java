package io.shardgate.translator.envoy;

import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption.HeaderAppendAction;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.shardgate.translator.domain.ClusterKey;
import io.shardgate.translator.model.Conditions;
import io.shardgate.translator.model.NameValue;
import io.shardgate.translator.model.DomainModel;
import io.shardgate.translator.model.HeaderEdits;
import io.shardgate.translator.model.Forwarding;
import io.shardgate.translator.model.Mirror;
import io.shardgate.translator.model.Retry;
import io.shardgate.translator.model.PathMatch;
import io.shardgate.translator.model.Rewrite;
import io.shardgate.translator.model.RouteModel;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** A domain's routes as an Envoy virtual host, for the HTTPS route configuration or the plain-HTTP one. */
final class VirtualHosts {
    /** What Gateway API says a retry stanza always retries: connection errors (disconnect, reset, refused, timeout). */
    private static final String CONNECTION_ERRORS = "connect-failure,refused-stream,reset";
    /** A full-path rewrite replaces what this matches: the whole path, which Envoy's regex rewrite sees without the query. */
    private static final String WHOLE_PATH = "^/.*$";

    private VirtualHosts() {}

    /** The route configuration a domain's HTTPS chain names; it answers only for that host. */
    static RouteConfiguration httpsRouteConfiguration(DomainModel domain) {
        return RouteConfiguration.newBuilder()
                .setName(EnvoyNames.httpsRouteConfiguration(domain.host()))
                .addVirtualHosts(virtualHost(domain, false))
                .build();
    }

    /** The plain-HTTP route configuration without virtual hosts: the composite header. */
    static RouteConfiguration httpHeader() {
        return RouteConfiguration.newBuilder().setName(EnvoyNames.HTTP_ROUTE_CONFIGURATION).build();
    }

    /** @param plainHttp the plain-HTTP virtual host (else the HTTPS one): each route {@link RouteModel#serving() serving} it */
    static VirtualHost virtualHost(DomainModel domain, boolean plainHttp) {
        VirtualHost.Builder vhost = VirtualHost.newBuilder().setName(domain.host()).addDomains(domain.host());
        Optional<HeaderMatcher> oneLabel = domain.wildcardCoversOneLabel()
                ? WildcardHosts.oneLabelMatcher(domain.host())
                : Optional.empty();
        for (RouteModel route : domain.routes()) {
            if (plainHttp ? route.serving().onPlain() : route.serving().onHttps()) vhost.addRoutes(route(route, plainHttp, oneLabel));
        }
        return vhost.build();
    }

    /** @param oneLabel for a wildcard host, what keeps its routes from answering names more than one label deeper */
    private static Route route(RouteModel model, boolean plainHttp, Optional<HeaderMatcher> oneLabel) {
        RouteMatch.Builder match = match(model.match()).toBuilder();
        oneLabel.ifPresent(match::addHeaders);
        addConditions(model.conditions(), match);
        Route.Builder route = Route.newBuilder()
                .setName(model.source().namespace() + "/" + model.source().name())
                .setMatch(match);
        addHeaderEdits(model, route);
        if (plainHttp && model.serving().redirectsPlain()) {
            // 308 keeps the method and body, as ingress-nginx's default http-redirect-code does.
            return route.setRedirect(RedirectAction.newBuilder()
                    .setHttpsRedirect(true)
                    .setResponseCode(RedirectAction.RedirectResponseCode.PERMANENT_REDIRECT)).build();
        }
        if (model.action() instanceof io.shardgate.translator.model.RouteAction.Forward forward) {
            return route.setRoute(withForwarding(forward(forward), model.forwarding())).build();
        }
        if (model.action() instanceof io.shardgate.translator.model.RouteAction.Split split) {
            return route.setRoute(withForwarding(split(split), model.forwarding())).build();
        }
        if (model.action() instanceof io.shardgate.translator.model.RouteAction.Redirect redirect) {
            return route.setRedirect(redirect(redirect)).build();
        }
        int status = ((io.shardgate.translator.model.RouteAction.Unavailable) model.action()).status();
        return route.setDirectResponse(DirectResponseAction.newBuilder().setStatus(status)).build();
    }

    private static void addConditions(Conditions conditions, RouteMatch.Builder match) {
        conditions.method().ifPresent(method -> match.addHeaders(exactHeader(":method", method)));
        for (NameValue header : conditions.headers()) match.addHeaders(exactHeader(header.name(), header.value()));
        for (NameValue param : conditions.queryParams()) {
            match.addQueryParameters(QueryParameterMatcher.newBuilder().setName(param.name())
                    .setStringMatch(StringMatcher.newBuilder().setExact(param.value())));
        }
    }

    private static void addHeaderEdits(RouteModel model, Route.Builder route) {
        addEdits(model.requestHeaders(), route::addRequestHeadersToAdd, route::addAllRequestHeadersToRemove);
        addEdits(model.responseHeaders(), route::addResponseHeadersToAdd, route::addAllResponseHeadersToRemove);
    }

    /** set overwrites, add appends, remove removes: on a route or on one of its weighted clusters alike. */
    private static void addEdits(HeaderEdits edits, Consumer<HeaderValueOption> add, Consumer<List<String>> remove) {
        edits.set().forEach(h -> add.accept(headerOption(h, HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD)));
        edits.add().forEach(h -> add.accept(headerOption(h, HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD)));
        if (!edits.remove().isEmpty()) remove.accept(edits.remove());
    }

    private static HeaderValueOption headerOption(NameValue header, HeaderAppendAction action) {
        return HeaderValueOption.newBuilder()
                .setHeader(HeaderValue.newBuilder().setKey(header.name()).setValue(header.value()))
                .setAppendAction(action)
                .build();
    }

    private static HeaderMatcher exactHeader(String name, String value) {
        return HeaderMatcher.newBuilder().setName(name).setStringMatch(StringMatcher.newBuilder().setExact(value)).build();
    }

    private static RouteMatch match(PathMatch match) {
        RouteMatch.Builder m = RouteMatch.newBuilder();
        return switch (match.kind()) {
            case EXACT -> m.setPath(match.value()).build();
            // path_separated_prefix cannot be "/" (and needs not be: every path starts with it).
            case PREFIX -> match.value().equals("/")
                    ? m.setPrefix("/").build()
                    : m.setPathSeparatedPrefix(match.value()).build();
            case REGEX -> m.setSafeRegex(RegexMatcher.newBuilder().setRegex(match.value())).build();
        };
    }

    private static RouteAction forward(io.shardgate.translator.model.RouteAction.Forward forward) {
        RouteAction.Builder action = RouteAction.newBuilder()
                .setCluster(forward.cluster().clusterName())
                .setTimeout(duration(forward.timeout()));
        forward.idleTimeout().ifPresent(idle -> action.setIdleTimeout(duration(idle)));
        addRewrites(action, forward.rewrite(), forward.hostRewrite());
        return action.build();
    }

    private static void addRewrites(RouteAction.Builder action, Optional<Rewrite> path, Optional<String> host) {
        path.ifPresent(rewrite -> {
            if (rewrite instanceof Rewrite.Prefix prefix) {
                action.setPrefixRewrite(prefix.replacement());
            } else {
                action.setRegexRewrite(regexRewrite(rewrite));
            }
        });
        host.ifPresent(action::setHostRewriteLiteral);
    }

    /** A regex or full-path rewrite as Envoy's regex_rewrite. */
    private static RegexMatchAndSubstitute regexRewrite(Rewrite rewrite) {
        String pattern = rewrite instanceof Rewrite.Regex regex ? regex.pattern() : WHOLE_PATH;
        String substitution = rewrite instanceof Rewrite.Regex regex ? regex.substitution() : ((Rewrite.FullPath) rewrite).path();
        return RegexMatchAndSubstitute.newBuilder().setPattern(RegexMatcher.newBuilder().setRegex(pattern))
                .setSubstitution(substitution).build();
    }

    /** The redirect's parts; the status maps to Envoy's codes (checked by the modeler to be one of them). */
    private static RedirectAction redirect(io.shardgate.translator.model.RouteAction.Redirect redirect) {
        RedirectAction.Builder action = RedirectAction.newBuilder().setResponseCode(switch (redirect.status()) {
            case 301 -> RedirectAction.RedirectResponseCode.MOVED_PERMANENTLY;
            case 303 -> RedirectAction.RedirectResponseCode.SEE_OTHER;
            case 307 -> RedirectAction.RedirectResponseCode.TEMPORARY_REDIRECT;
            case 308 -> RedirectAction.RedirectResponseCode.PERMANENT_REDIRECT;
            default -> RedirectAction.RedirectResponseCode.FOUND;
        });
        redirect.scheme().ifPresent(action::setSchemeRedirect);
        redirect.host().ifPresent(action::setHostRedirect);
        redirect.port().ifPresent(action::setPortRedirect);
        redirect.path().ifPresent(rewrite -> {
            if (rewrite instanceof Rewrite.Prefix prefix) {
                action.setPrefixRewrite(prefix.replacement());
            } else if (rewrite instanceof Rewrite.FullPath full) {
                action.setPathRedirect(full.path());
            } else {
                action.setRegexRewrite(regexRewrite(rewrite));
            }
        });
        return action.build();
    }

    /**
     * Copies of the requests to each mirror's cluster, a share of them as a fraction of the smallest denominator that
     * is exact; retries on connection errors and on the given codes.
     */
    private static RouteAction withForwarding(RouteAction action, Forwarding forwarding) {
        if (forwarding.equals(Forwarding.NONE)) return action;
        RouteAction.Builder builder = action.toBuilder();
        forwarding.retry().ifPresent(retry -> builder.setRetryPolicy(retryPolicy(retry)));
        for (Mirror mirror : forwarding.mirrors()) {
            RouteAction.RequestMirrorPolicy.Builder policy = RouteAction.RequestMirrorPolicy.newBuilder()
                    .setCluster(mirror.cluster().clusterName());
            if (mirror.perMillion() < Mirror.ALL) policy.setRuntimeFraction(RuntimeFractionalPercent.newBuilder()
                    .setDefaultValue(fraction(mirror.perMillion())));
            builder.addRequestMirrorPolicies(policy);
        }
        return builder.build();
    }

    private static RetryPolicy retryPolicy(Retry retry) {
        RetryPolicy.Builder policy = RetryPolicy.newBuilder()
                .setRetryOn(retry.codes().isEmpty() ? CONNECTION_ERRORS : CONNECTION_ERRORS + ",retriable-status-codes")
                .addAllRetriableStatusCodes(retry.codes());
        retry.attempts().ifPresent(attempts -> policy.setNumRetries(UInt32Value.of(attempts)));
        retry.backoff().ifPresent(backoff -> policy.setRetryBackOff(RetryPolicy.RetryBackOff.newBuilder().setBaseInterval(duration(backoff))));
        retry.perTryTimeout().ifPresent(timeout -> policy.setPerTryTimeout(duration(timeout)));
        return policy.build();
    }

    private static FractionalPercent fraction(int perMillion) {
        if (perMillion % 10_000 == 0) {
            return FractionalPercent.newBuilder().setNumerator(perMillion / 10_000).setDenominator(FractionalPercent.DenominatorType.HUNDRED).build();
        }
        if (perMillion % 100 == 0) {
            return FractionalPercent.newBuilder().setNumerator(perMillion / 100)
                    .setDenominator(FractionalPercent.DenominatorType.TEN_THOUSAND).build();
        }
        return FractionalPercent.newBuilder().setNumerator(perMillion).setDenominator(FractionalPercent.DenominatorType.MILLION).build();
    }

    /** An unusable backend's share names a cluster that is never served, so its requests get 500. */
    private static RouteAction split(io.shardgate.translator.model.RouteAction.Split split) {
        WeightedCluster.Builder weighted = WeightedCluster.newBuilder();
        for (io.shardgate.translator.model.RouteAction.Share share : split.shares()) {
            WeightedCluster.ClusterWeight.Builder cluster = WeightedCluster.ClusterWeight.newBuilder()
                    .setName(share.cluster().map(ClusterKey::clusterName).orElse(EnvoyNames.UNUSABLE_BACKEND))
                    .setWeight(UInt32Value.of(share.weight()));
            addEdits(share.request(), cluster::addRequestHeadersToAdd, cluster::addAllRequestHeadersToRemove);
            addEdits(share.response(), cluster::addResponseHeadersToAdd, cluster::addAllResponseHeadersToRemove);
            weighted.addClusters(cluster);
        }
        RouteAction.Builder action = RouteAction.newBuilder()
                .setWeightedClusters(weighted)
                .setClusterNotFoundResponseCode(RouteAction.ClusterNotFoundResponseCode.INTERNAL_SERVER_ERROR)
                .setTimeout(duration(split.timeout()));
        addRewrites(action, split.rewrite(), split.hostRewrite());
        return action.build();
    }

    private static Duration duration(java.time.Duration d) {
        return Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
    }
}

package io.shardgate.translator.gatewayapi;

import io.shardgate.translator.Echo;
import io.shardgate.translator.Problem;
import io.shardgate.translator.Reasons;
import io.shardgate.translator.domain.DomainInputs;
import io.shardgate.translator.domain.GatewayDefinitions;
import io.shardgate.translator.input.GatewayClassInput;
import io.shardgate.translator.input.GatewayInput;
import io.shardgate.translator.input.HttpRouteInput;
import io.shardgate.translator.input.ListenerSetInput;
import io.shardgate.translator.input.TlsSecretInput;
import io.shardgate.translator.status.Condition;
import io.shardgate.translator.status.GatewayClassStatus;
import io.shardgate.translator.status.GatewayStatus;
import io.shardgate.translator.status.HttpRouteStatus;
import io.shardgate.translator.status.ListenerRef;
import io.shardgate.translator.status.ListenerSetStatus;
import io.shardgate.translator.status.ListenerStatus;
import io.shardgate.translator.status.RouteParentStatus;
import io.shardgate.translator.tls.CertificateInspector;
import io.shardgate.translator.tls.CertificateVerdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The status of Gateway API objects, as the specification defines it (docs/gateway-api.md, "Status"): pure functions
 * of the objects and what they refer to, so every node computes the same status and only the one whose turn it is
 * writes it.
 */
public final class GatewayApiStatuses {
    static final String ACCEPTED = "Accepted";
    static final String PROGRAMMED = "Programmed";
    static final String RESOLVED_REFS = "ResolvedRefs";
    private static final List<String> ROUTE_KINDS = List.of("HTTPRoute");
    /** What makes a backendRef unusable, in the order a route's ResolvedRefs reports them. */
    private static final Map<String, String> UNRESOLVED = Map.of(
            Reasons.REF_NOT_PERMITTED, "RefNotPermitted",
            Reasons.UNSUPPORTED_BACKEND, "InvalidKind",
            Reasons.SERVICE_NOT_FOUND, "BackendNotFound",
            Reasons.PORT_NOT_FOUND, "BackendNotFound");
    private static final List<String> UNRESOLVED_ORDER = List.of(Reasons.REF_NOT_PERMITTED, Reasons.UNSUPPORTED_BACKEND,
            Reasons.SERVICE_NOT_FOUND, Reasons.PORT_NOT_FOUND);

    private final HttpRouteModeler routes;
    private final CertificateInspector inspector;

    public GatewayApiStatuses(HttpRouteModeler routes, CertificateInspector inspector) {
        this.routes = routes;
        this.inspector = inspector;
    }

    /**
     * One entry per distinct parentRef naming a Gateway of a Shardgate class: Accepted (attached to a listener of it),
     * ResolvedRefs (every backendRef usable), and PartiallyInvalid when some of its rules are not served as written.
     */
    public HttpRouteStatus route(HttpRouteInput route, DomainInputs inputs) {
        Map<HttpRouteInput.ParentRef, Attachments.Judgement> judged = new LinkedHashMap<>();
        for (HttpRouteInput.ParentRef parent : route.parentRefs()) judged.computeIfAbsent(parent, p -> Attachments.judge(route, p, inputs));
        // The gateway serving the route, as claimOf says: that of the first parentRef it attaches through.
        String servedBy = judged.values().stream().filter(Attachments.Judgement.Attached.class::isInstance)
                .map(j -> ((Attachments.Judgement.Attached) j).gateway()).findFirst().orElse(null);
        List<RouteParentStatus> parents = new ArrayList<>();
        List<Problem> problems = null;
        for (Map.Entry<HttpRouteInput.ParentRef, Attachments.Judgement> entry : judged.entrySet()) {
            HttpRouteInput.ParentRef parent = entry.getKey();
            Attachments.Judgement judgement = entry.getValue();
            if (judgement instanceof Attachments.Judgement.NotOurs) continue;
            if (problems == null) problems = routes.ruleProblems(route, inputs);
            List<Condition> conditions = new ArrayList<>();
            conditions.add(accepted(judgement, servedBy));
            conditions.add(resolvedRefs(problems));
            partiallyInvalid(problems).ifPresent(conditions::add);
            parents.add(new RouteParentStatus(parent, conditions));
        }
        return new HttpRouteStatus(route.ref(), route.generation(), parents);
    }

    /**
     * The Gateway's conditions and its listeners': each listener is Accepted when Shardgate serves its protocol,
     * Conflicted when another listener shares its port, ResolvedRefs when its certificate reference is usable, and
     * Programmed when all three hold; attachedRoutes counts the routes attached to it.
     *
     * @param attachedRoutes       listener name → how many routes are attached to it ({@link #attachedListeners}); absent: none
     * @param attachedListenerSets how many of its ListenerSets are Accepted ({@link ListenerSetStatus#isAccepted})
     */
    public GatewayStatus gateway(GatewayInput gateway, Map<String, Integer> attachedRoutes, int attachedListenerSets,
            DomainInputs inputs) {
        ListenerOwner owner = ListenerOwner.of(gateway);
        List<ListenerStatus> listeners = listeners(owner, attachedRoutes, inputs);
        int programmed = programmed(listeners);
        int total = gateway.listeners().size();
        List<Condition> conditions = new ArrayList<>();
        if (programmed == total) {
            conditions.add(Condition.isTrue(ACCEPTED, ACCEPTED, "the Gateway is served by the Shardgate gateway "
                    + Echo.quote(gateway.gatewayClassName())));
        } else {
            conditions.add(new Condition(ACCEPTED, programmed > 0, "ListenersNotValid", (total - programmed) + " of its "
                    + total + " listeners are not served: see their conditions"));
        }
        if (!gateway.requestedAddresses().isEmpty()) {
            conditions.add(Condition.isFalse(PROGRAMMED, "AddressNotAssigned", "spec.addresses asks for "
                    + gateway.requestedAddresses().stream().limit(4).map(Echo::quote).toList() + ", which cannot be assigned: a"
                    + " Shardgate gateway's addresses are its fleet's, the same for all its Gateways; its listeners are"
                    + (programmed > 0 ? "" : " not") + " served there"));
        } else {
            conditions.add(programmed > 0
                    ? Condition.isTrue(PROGRAMMED, PROGRAMMED, "the Gateway is programmed in the Envoys of the Shardgate gateway "
                            + Echo.quote(gateway.gatewayClassName()))
                    : Condition.isFalse(PROGRAMMED, "Invalid", "none of its listeners is served"));
        }
        return new GatewayStatus(gateway.ref(), gateway.generation(), conditions, listeners, attachedListenerSets);
    }

    /**
     * A ListenerSet's status (GEP-1713), or empty when it is not Shardgate's to write: its Gateway does not exist or is
     * of another controller's class. Not admitted by the Gateway: Accepted and Programmed False NotAllowed, and no
     * listener entries. Else its listeners are judged as a Gateway's are (a conflict with a listener of higher
     * precedence makes one Accepted, Programmed False and Conflicted True with the conflict's reason), and the set is
     * Accepted and Programmed when at least one of them is programmed, else False ListenersNotValid.
     *
     * @param attachedRoutes listener name → how many routes are attached to it ({@link #attachedListeners}); absent: none
     */
    public Optional<ListenerSetStatus> listenerSet(ListenerSetInput set, Map<String, Integer> attachedRoutes, DomainInputs inputs) {
        Optional<ListenerOwner> found = ListenerOwner.of(set, inputs);
        if (found.isEmpty() || inputs.gatewayClass(found.get().gateway().gatewayClassName()).filter(GatewayClassInput::isShardgate).isEmpty()) {
            return Optional.empty();
        }
        ListenerOwner owner = found.get();
        String parent = "Gateway " + owner.gateway().namespace() + "/" + owner.gateway().name();
        if (!owner.isAdmitted(inputs)) {
            String why = parent + " does not allow ListenerSets of namespace " + set.namespace() + " (spec.allowedListeners)";
            return Optional.of(new ListenerSetStatus(set.ref(), set.generation(), List.of(Condition.isFalse(ACCEPTED, "NotAllowed", why),
                    Condition.isFalse(PROGRAMMED, "NotAllowed", why)), List.of()));
        }
        List<ListenerStatus> listeners = listeners(owner, attachedRoutes, inputs);
        int programmed = programmed(listeners);
        int total = listeners.size();
        List<Condition> conditions = new ArrayList<>();
        if (programmed == 0) {
            String why = "none of its " + total + " listeners is served: see their conditions";
            conditions.add(Condition.isFalse(ACCEPTED, "ListenersNotValid", why));
            conditions.add(Condition.isFalse(PROGRAMMED, "ListenersNotValid", why));
        } else {
            conditions.add(programmed == total
                    ? Condition.isTrue(ACCEPTED, ACCEPTED, "its listeners are added to " + parent)
                    : Condition.isTrue(ACCEPTED, "ListenersNotValid", (total - programmed) + " of its " + total
                            + " listeners are not served: see their conditions"));
            conditions.add(Condition.isTrue(PROGRAMMED, PROGRAMMED, "its listeners are programmed in the Envoys of the Shardgate"
                    + " gateway " + Echo.quote(owner.gateway().gatewayClassName())));
        }
        return Optional.of(new ListenerSetStatus(set.ref(), set.generation(), conditions, listeners));
    }

    /** Each listener's status, in the owner's order. */
    private List<ListenerStatus> listeners(ListenerOwner owner, Map<String, Integer> attachedRoutes, DomainInputs inputs) {
        List<ListenerStatus> listeners = new ArrayList<>();
        for (GatewayInput.Listener listener : owner.listeners()) {
            boolean servesHttp = Attachments.servesHttp(listener);
            boolean takesRoutes = Attachments.takesHttpRoutes(listener);
            Optional<String> conflict = ListenerConflicts.of(owner, listener, inputs);
            Condition accepted = !servesHttp
                    ? Condition.isFalse(ACCEPTED, "UnsupportedProtocol", "protocol " + Echo.quote(listener.protocol())
                            + (listener.tlsMode() == null ? "" : " with TLS mode " + Echo.quote(listener.tlsMode()))
                            + " is not served: Shardgate serves HTTP, and HTTPS with TLS terminated")
                    : Attachments.needsClientValidation(owner.gateway(), listener)
                    ? Condition.isFalse(ACCEPTED, "UnsupportedValue", "the Gateway's spec.tls.frontend asks for client certificate"
                            + " validation on port " + listener.port() + ", which Shardgate does not support yet: the listener is not"
                            + " served rather than served without it")
                    : Condition.isTrue(ACCEPTED, ACCEPTED, "the listener is served");
            Condition conflicted = conflict
                    .map(reason -> Condition.isTrue("Conflicted", reason, conflictMessage(owner, listener, reason)))
                    .orElse(Condition.isFalse("Conflicted", "NoConflicts", owner.isGateway()
                            ? "no other listener of the Gateway conflicts with it"
                            : "no listener before it (of the Gateway, or of an older ListenerSet) conflicts with it"));
            // A ListenerSet's listener yields to the listeners before it: the conformance tests (ListenerSetHostnameConflict,
            // ListenerSetProtocolConflict) ask for Accepted and Programmed False with the conflict's reason, before any
            // other. A Gateway's listeners in conflict are reported Conflicted only, as before.
            if (conflict.isPresent() && !owner.isGateway()) {
                accepted = Condition.isFalse(ACCEPTED, conflict.get(), conflicted.message());
            }
            Condition certificates = certificateRefs(owner, listener, inputs);
            Optional<Condition> invalidKinds = invalidKinds(listener);
            Condition resolved = invalidKinds.orElse(certificates);
            boolean ready = accepted.status() && !conflicted.status() && certificates.status() && takesRoutes;
            Condition isProgrammed = ready
                    ? Condition.isTrue(PROGRAMMED, PROGRAMMED, "the listener is programmed in the gateway's Envoys")
                    : conflict.isPresent() && !owner.isGateway()
                    ? Condition.isFalse(PROGRAMMED, conflict.get(), conflicted.message())
                    : Condition.isFalse(PROGRAMMED, "Invalid", "the listener is not served: see its other conditions");
            listeners.add(new ListenerStatus(listener.name(), takesRoutes ? ROUTE_KINDS : List.of(),
                    attachedRoutes.getOrDefault(listener.name(), 0), List.of(accepted, isProgrammed, resolved, conflicted)));
        }
        return listeners;
    }

    /** What a conflict is with, without naming another tenant's ListenerSet (the specification asks for discretion). */
    private static String conflictMessage(ListenerOwner owner, GatewayInput.Listener listener, String reason) {
        String what = reason.equals(ListenerConflicts.PROTOCOL) ? " has another protocol" : " has the same hostname";
        return owner.isGateway()
                ? "another listener of the Gateway on port " + listener.port() + what
                : "a listener before it on port " + listener.port() + " (of the Gateway, or of an older ListenerSet)" + what;
    }

    private static int programmed(List<ListenerStatus> listeners) {
        return (int) listeners.stream()
                .filter(l -> l.conditions().stream().anyMatch(c -> c.type().equals(PROGRAMMED) && c.status())).count();
    }

    /** ResolvedRefs False InvalidRouteKinds when allowedRoutes.kinds names a kind Shardgate does not serve. */
    private static Optional<Condition> invalidKinds(GatewayInput.Listener listener) {
        List<String> invalid = listener.allowedKinds().stream().filter(k -> !Attachments.isHttpRoute(k))
                .map(k -> (k.group() == null ? "" : k.group() + "/") + k.kind()).toList();
        if (invalid.isEmpty()) return Optional.empty();
        return Optional.of(Condition.isFalse(RESOLVED_REFS, "InvalidRouteKinds", "allowedRoutes.kinds names "
                + invalid.stream().map(Echo::quote).toList() + ", which Shardgate does not serve (HTTPRoute only)"));
    }

    /** A Shardgate class is accepted as it is: it has no parameters to check. */
    public static GatewayClassStatus gatewayClass(GatewayClassInput gatewayClass) {
        return new GatewayClassStatus(gatewayClass.name(), gatewayClass.generation(), List.of(Condition.isTrue(ACCEPTED,
                ACCEPTED, "the class defines the Shardgate gateway " + Echo.quote(gatewayClass.name()))));
    }

    private static Condition accepted(Attachments.Judgement judgement, String servedBy) {
        if (judgement instanceof Attachments.Judgement.Refused refused) {
            return Condition.isFalse(ACCEPTED, refused.reason(), refused.message());
        }
        Attachments.Judgement.Attached attached = (Attachments.Judgement.Attached) judgement;
        if (!attached.gateway().equals(servedBy)) {
            return Condition.isFalse(ACCEPTED, "UnsupportedValue", "the route is served by the Shardgate gateway "
                    + Echo.quote(servedBy) + " of its first parent; a route is served by one Shardgate gateway");
        }
        return Condition.isTrue(ACCEPTED, ACCEPTED, "attached to listeners " + attached.listeners().stream()
                .map(a -> Echo.quote(a.listener().name())).toList() + " of " + attached.listeners().get(0).owner());
    }

    private static Condition resolvedRefs(List<Problem> problems) {
        for (String reason : UNRESOLVED_ORDER) {
            List<Problem> found = problems.stream().filter(p -> p.reason().equals(reason)).toList();
            if (!found.isEmpty()) {
                long all = problems.stream().filter(p -> UNRESOLVED.containsKey(p.reason())).count();
                return Condition.isFalse(RESOLVED_REFS, UNRESOLVED.get(reason), found.get(0).message()
                        + (all > 1 ? " (and " + (all - 1) + " more unusable backendRefs)" : ""));
            }
        }
        return Condition.isTrue(RESOLVED_REFS, RESOLVED_REFS, "every backendRef is usable");
    }

    private static Optional<Condition> partiallyInvalid(List<Problem> problems) {
        List<Problem> invalid = problems.stream().filter(p -> !UNRESOLVED.containsKey(p.reason())).toList();
        if (invalid.isEmpty()) return Optional.empty();
        return Optional.of(Condition.isTrue("PartiallyInvalid", "UnsupportedValue", invalid.get(0).reason() + ": "
                + invalid.get(0).message() + (invalid.size() > 1 ? " (and " + (invalid.size() - 1) + " more problems)" : "")));
    }

    private Condition certificateRefs(ListenerOwner owner, GatewayInput.Listener listener, DomainInputs inputs) {
        Condition resolved = Condition.isTrue(RESOLVED_REFS, RESOLVED_REFS, "its references are usable");
        if (!"HTTPS".equals(listener.protocol()) || !Attachments.servesHttp(listener)) return resolved;
        ListenerCertificates.Reference reference = ListenerCertificates.reference(owner, listener, inputs);
        if (reference instanceof ListenerCertificates.Reference.Refused refused) {
            String reason = refused.reason().equals(Reasons.REF_NOT_PERMITTED) ? "RefNotPermitted" : "InvalidCertificateRef";
            return Condition.isFalse(RESOLVED_REFS, reason, refused.why());
        }
        ListenerCertificates.Reference.Secret secret = (ListenerCertificates.Reference.Secret) reference;
        if (!inputs.secretExists(secret.namespace(), secret.name())) {
            return Condition.isFalse(RESOLVED_REFS, "InvalidCertificateRef", "Secret " + secret.namespace() + "/" + secret.name()
                    + " does not exist, or is not of type kubernetes.io/tls");
        }
        // Withheld key material (another node serves the Secret) is absent here: the caller fetches it and asks again.
        Optional<TlsSecretInput> material = inputs.secret(secret.namespace(), secret.name());
        if (material.isPresent() && inspector.inspect(material.get()) instanceof CertificateVerdict.Unusable unusable) {
            return Condition.isFalse(RESOLVED_REFS, "InvalidCertificateRef", "Secret " + secret.namespace() + "/" + secret.name()
                    + ": " + unusable.message());
        }
        return resolved;
    }

    /**
     * The Shardgate gateway whose shards decide who writes the status of a route that no gateway serves: that of its first
     * parentRef naming a Gateway of a Shardgate class, or a ListenerSet of one, whether it attaches or not.
     */
    public static Optional<String> firstJudgedParent(HttpRouteInput route, GatewayDefinitions definitions) {
        return Attachments.firstJudgedParent(route, definitions);
    }

    /**
     * The listeners a route is attached to: those of the parents that accept it (Gateways and ListenerSets), of the
     * Shardgate gateway serving it. What the attachedRoutes of those listeners count, the route once per listener.
     *
     * @param servedBy the Shardgate gateway serving the route ({@code claimOf}), or null when none does
     */
    public static Set<ListenerRef> attachedListeners(HttpRouteInput route, String servedBy, GatewayDefinitions definitions) {
        Set<ListenerRef> listeners = new TreeSet<>();
        if (servedBy == null) return listeners;
        for (HttpRouteInput.ParentRef parent : route.parentRefs()) {
            if (!(Attachments.judge(route, parent, definitions) instanceof Attachments.Judgement.Attached a)) continue;
            if (!a.gateway().equals(servedBy)) continue;
            a.listeners().forEach(l -> listeners.add(new ListenerRef(l.owner().ref(), l.listener().name())));
        }
        return listeners;
    }
}

package io.shardgate.node.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.shardgate.translator.input.HttpRouteInput;
import io.shardgate.translator.input.IngressClassInput;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.status.Condition;
import io.shardgate.translator.status.GatewayClassStatus;
import io.shardgate.translator.status.GatewayStatus;
import io.shardgate.translator.status.ListenerSetStatus;
import io.shardgate.translator.status.HttpRouteStatus;
import io.shardgate.translator.status.ListenerStatus;
import io.shardgate.translator.status.RouteParentStatus;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the status of HTTPRoutes, Gateways and GatewayClasses (gateway.networking.k8s.io/v1) as the Gateway API
 * specifies it: an HTTPRoute's {@code status.parents} entries of Shardgate's controller (other controllers' entries
 * are kept, first, as they are), a Gateway's whole status (conditions, listeners, addresses), a GatewayClass's
 * conditions. Each condition carries the wish's generation as observedGeneration, and keeps its
 * lastTransitionTime while its status stays the same.
 *
 * <p>Work happens off the caller's thread, on a few single-threaded lanes, as in {@link KubernetesStatusWriter}: an
 * object always maps to the same lane, a request that does not change the wish costs nothing, and the object is
 * read (GET) and written only if its status differs from the one wanted, so a restart rewrites nothing. The write is
 * a JSON patch on the status subresource that first tests the resourceVersion read, so a change made meanwhile by
 * someone else (another controller's entry of a route) is never overwritten: the object is read again and the
 * write retried, {@value #ATTEMPTS} attempts in all. Then the failure is counted and logged, and the wish
 * forgotten, so the next request for the object tries again.
 */
public final class KubernetesGatewayApiStatusWriter extends LanedStatusWriter<KubernetesGatewayApiStatusWriter.Wish>
        implements GatewayApiStatusWriter {
    private static final Logger log = LoggerFactory.getLogger(KubernetesGatewayApiStatusWriter.class);
    static final String GROUP = "gateway.networking.k8s.io";
    private static final String API_VERSION = GROUP + "/v1";
    private static final int DEFAULT_LANES = 4;
    private static final int ATTEMPTS = 3;
    /** The specification's bound on a Gateway's status.addresses. */
    static final int MAX_ADDRESSES = 16;
    static final int MAX_MESSAGE = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** JSON equality, numbers by value: a number read back may be an int where the one composed is a long. */
    private static final Comparator<JsonNode> SAME_VALUE = (a, b) -> a.equals(b)
            || a.isNumber() && b.isNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;

    private final Clock clock;
    private final MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> routes;
    private final MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> gateways;
    private final MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> classes;
    private final MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> listenerSets;

    /** Times conditions by the system clock. */
    public KubernetesGatewayApiStatusWriter(KubernetesClient client) {
        this(client, Clock.systemUTC(), DEFAULT_LANES);
    }

    /** @param clock what a condition's lastTransitionTime is taken from when its status changes */
    public KubernetesGatewayApiStatusWriter(KubernetesClient client, Clock clock, int lanes) {
        super("gateway-api-status", lanes);
        this.clock = clock;
        this.routes = client.genericKubernetesResources(API_VERSION, "HTTPRoute");
        this.gateways = client.genericKubernetesResources(API_VERSION, "Gateway");
        this.classes = client.genericKubernetesResources(API_VERSION, "GatewayClass");
        this.listenerSets = client.genericKubernetesResources(API_VERSION, "ListenerSet");
    }

    @Override
    public void route(HttpRouteStatus wanted) {
        request(expect(wanted.route(), ObjectRef.Kind.HTTP_ROUTE), new RouteWish(wanted));
    }

    /**
     * @param addresses the first {@value #MAX_ADDRESSES} are published
     * @throws IllegalArgumentException naming an address that is no IP or DNS name
     */
    @Override
    public void gateway(GatewayStatus wanted, List<String> addresses) {
        List<Address> typed = new ArrayList<>();
        for (String address : addresses.subList(0, Math.min(addresses.size(), MAX_ADDRESSES))) {
            typed.add(new Address(KubernetesStatusWriter.isIp(address) ? "IPAddress" : "Hostname", address));
        }
        request(expect(wanted.gateway(), ObjectRef.Kind.GATEWAY), new GatewayWish(wanted, List.copyOf(typed)));
    }

    @Override
    public void gatewayClass(GatewayClassStatus wanted) {
        request(ObjectRef.of(ObjectRef.Kind.GATEWAY_CLASS, "", wanted.name()), new ClassWish(wanted));
    }

    @Override
    public void listenerSet(ListenerSetStatus wanted) {
        request(expect(wanted.listenerSet(), ObjectRef.Kind.LISTENER_SET), new ListenerSetWish(wanted));
    }

    private static ObjectRef expect(ObjectRef ref, ObjectRef.Kind kind) {
        if (ref.kind() != kind) throw new IllegalArgumentException("not a " + kind + ": " + ref);
        return ref;
    }

    /** A failed attempt is retried on a fresh read; the last one's failure is the writer's. */
    @Override
    boolean reconcile(ObjectRef ref, Wish wanted) {
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(ref, wanted);
            } catch (RuntimeException e) {
                if (attempt == ATTEMPTS) throw e;
                log.debug("Writing the status of {} failed (attempt {}), reading it again: {}", ref, attempt, e.toString());
            }
        }
    }

    private boolean attempt(ObjectRef ref, Wish wanted) {
        Resource<GenericKubernetesResource> resource = resource(ref);
        GenericKubernetesResource current = resource.get();
        if (current == null) {
            forget(ref, wanted);
            return false;
        }
        ObjectNode held = JSON.valueToTree(current.getAdditionalProperties().get("status")) instanceof ObjectNode status
                ? status : JSON.createObjectNode();
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
        ObjectNode status = wanted.compose(held, now);
        if (status.equals(SAME_VALUE, held)) return false;
        ArrayNode patch = JSON.createArrayNode();
        patch.addObject().put("op", "test").put("path", "/metadata/resourceVersion")
                .put("value", current.getMetadata().getResourceVersion());
        patch.addObject().put("op", "add").put("path", "/status").set("value", status);
        resource.subresource("status").patch(PatchContext.of(PatchType.JSON), patch.toString());
        return true;
    }

    private Resource<GenericKubernetesResource> resource(ObjectRef ref) {
        return switch (ref.kind()) {
            case HTTP_ROUTE -> routes.inNamespace(ref.namespace()).withName(ref.name());
            case GATEWAY -> gateways.inNamespace(ref.namespace()).withName(ref.name());
            case GATEWAY_CLASS -> classes.withName(ref.name());
            case LISTENER_SET -> listenerSets.inNamespace(ref.namespace()).withName(ref.name());
            default -> throw new IllegalStateException("no Gateway API status for " + ref);
        };
    }

    /** A status wanted; composes the JSON of the status given the one the object holds. */
    sealed interface Wish permits RouteWish, GatewayWish, ClassWish, ListenerSetWish {
        /**
         * @param held the object's status (an empty object if none)
         * @param now  the lastTransitionTime of a condition that is new or changes status
         */
        ObjectNode compose(ObjectNode held, String now);
    }

    /** Other controllers' entries as they are and first, then Shardgate's; the rest of the status as it is. */
    private record RouteWish(HttpRouteStatus status) implements Wish {
        @Override
        public ObjectNode compose(ObjectNode held, String now) {
            ArrayNode parents = JSON.createArrayNode();
            List<JsonNode> ours = new ArrayList<>();
            for (JsonNode entry : held.path("parents")) {
                if (IngressClassInput.CONTROLLER.equals(entry.path("controllerName").asText(null))) ours.add(entry);
                else parents.add(entry);
            }
            for (RouteParentStatus parent : status.parents()) {
                ObjectNode parentRef = parentRef(parent.parentRef());
                JsonNode before = ours.stream().filter(entry -> entry.path("parentRef").equals(SAME_VALUE, parentRef))
                        .findFirst().orElse(JSON.missingNode());
                ObjectNode entry = parents.addObject();
                entry.set("parentRef", parentRef);
                entry.put("controllerName", IngressClassInput.CONTROLLER);
                entry.set("conditions", conditions(parent.conditions(), before.path("conditions"), status.generation(), now));
            }
            ObjectNode out = held.deepCopy();
            if (!parents.isEmpty() || held.has("parents")) out.set("parents", parents);
            return out;
        }
    }

    /** The whole status. */
    private record GatewayWish(GatewayStatus status, List<Address> addresses) implements Wish {
        @Override
        public ObjectNode compose(ObjectNode held, String now) {
            ObjectNode out = JSON.createObjectNode();
            if (!addresses.isEmpty()) {
                ArrayNode published = out.putArray("addresses");
                for (Address address : addresses) published.addObject().put("type", address.type()).put("value", address.value());
            }
            out.set("conditions", conditions(status.conditions(), held.path("conditions"), status.generation(), now));
            out.set("listeners", listeners(status.listeners(), held, status.generation(), now));
            if (status.attachedListenerSets() > 0 || held.has("attachedListenerSets")) {
                out.put("attachedListenerSets", status.attachedListenerSets());
            }
            return out;
        }
    }

    /** The whole status: conditions, and an entry per listener as a Gateway's. */
    private record ListenerSetWish(ListenerSetStatus status) implements Wish {
        @Override
        public ObjectNode compose(ObjectNode held, String now) {
            ObjectNode out = JSON.createObjectNode();
            out.set("conditions", conditions(status.conditions(), held.path("conditions"), status.generation(), now));
            out.set("listeners", listeners(status.listeners(), held, status.generation(), now));
            return out;
        }
    }

    /** Listener entries (a Gateway's or a ListenerSet's), each keeping the transition times of its held entry's conditions. */
    private static ArrayNode listeners(List<ListenerStatus> wanted, ObjectNode held, long generation, String now) {
        ArrayNode listeners = JSON.createArrayNode();
        for (ListenerStatus listener : wanted) {
            JsonNode before = JSON.missingNode();
            for (JsonNode candidate : held.path("listeners")) {
                if (listener.name().equals(candidate.path("name").asText(null))) before = candidate;
            }
            ObjectNode entry = listeners.addObject();
            entry.put("name", listener.name());
            ArrayNode kinds = entry.putArray("supportedKinds");
            for (String kind : listener.supportedKinds()) kinds.addObject().put("group", GROUP).put("kind", kind);
            entry.put("attachedRoutes", listener.attachedRoutes());
            entry.set("conditions", conditions(listener.conditions(), before.path("conditions"), generation, now));
        }
        return listeners;
    }

    /** The conditions; the rest of the status as it is. */
    private record ClassWish(GatewayClassStatus status) implements Wish {
        @Override
        public ObjectNode compose(ObjectNode held, String now) {
            ObjectNode out = held.deepCopy();
            out.set("conditions", conditions(status.conditions(), held.path("conditions"), status.generation(), now));
            return out;
        }
    }

    /** @param type IPAddress or Hostname */
    private record Address(String type, String value) {}

    /** The fields written, nulls left out. */
    private static ObjectNode parentRef(HttpRouteInput.ParentRef ref) {
        ObjectNode out = JSON.createObjectNode();
        if (ref.group() != null) out.put("group", ref.group());
        if (ref.kind() != null) out.put("kind", ref.kind());
        if (ref.namespace() != null) out.put("namespace", ref.namespace());
        out.put("name", ref.name());
        if (ref.sectionName() != null) out.put("sectionName", ref.sectionName());
        if (ref.port() != null) out.put("port", ref.port());
        return out;
    }

    /**
     * @param held the conditions of the same entry as the object holds them (missing if none): a condition of the
     *             same type and status keeps its lastTransitionTime
     */
    private static ArrayNode conditions(List<Condition> wanted, JsonNode held, long generation, String now) {
        ArrayNode out = JSON.createArrayNode();
        for (Condition condition : wanted) {
            String status = condition.status() ? "True" : "False";
            String since = now;
            for (JsonNode before : held) {
                if (condition.type().equals(before.path("type").asText(null)) && status.equals(before.path("status").asText(null))
                        && before.path("lastTransitionTime").isTextual()) {
                    since = before.path("lastTransitionTime").asText();
                }
            }
            out.addObject()
                    .put("type", condition.type())
                    .put("status", status)
                    .put("reason", condition.reason())
                    .put("message", truncate(Objects.requireNonNullElse(condition.message(), "")))
                    .put("observedGeneration", generation)
                    .put("lastTransitionTime", since);
        }
        return out;
    }

    /** At most {@value #MAX_MESSAGE} characters, not splitting a surrogate pair. */
    private static String truncate(String message) {
        if (message.length() <= MAX_MESSAGE) return message;
        int end = Character.isHighSurrogate(message.charAt(MAX_MESSAGE - 1)) ? MAX_MESSAGE - 1 : MAX_MESSAGE;
        return message.substring(0, end);
    }
}

package io.shardgate.node.report;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.shardgate.translator.Problem;
import io.shardgate.translator.input.ObjectRef;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports each new problem to the log, the metric callback and a Kubernetes Event (core/v1, type Warning)
 * on the object at fault. What counts as new is decided by {@link LoggingProblemReporter}; this class only
 * adds the Event.
 *
 * <p>Events are sent by one background thread from a bounded queue: the caller (the translation engine)
 * never waits on the API server. When the queue is full the Event is dropped and counted
 * ({@link #droppedEvents()}); the log line and the metric are never dropped. Send failures are logged.
 * Each Event carries the object's uid (read from the API server first), without which
 * {@code kubectl describe} does not show it.
 */
public final class KubernetesEventReporter implements ProblemReporter, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KubernetesEventReporter.class);
    public static final String COMPONENT = "shardgate";
    public static final int DEFAULT_QUEUE_CAPACITY = 1000;
    /** Where Events about cluster-scoped objects go, as kubectl and client-go do. */
    private static final String CLUSTER_SCOPED_EVENT_NAMESPACE = "default";
    private static final int MAX_MESSAGE_LENGTH = 1024;
    private static final int MAX_NAME_PREFIX_LENGTH = 200;

    private final KubernetesClient client;
    private final LoggingProblemReporter newProblems;
    private final ThreadPoolExecutor sender;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong lastNameNanos = new AtomicLong();

    public KubernetesEventReporter(KubernetesClient client, Consumer<Problem> onNewProblem) {
        this(client, onNewProblem, DEFAULT_QUEUE_CAPACITY);
    }

    /** @param onNewProblem called once per new problem on the caller's thread (the rejected-inputs metric) */
    public KubernetesEventReporter(KubernetesClient client, Consumer<Problem> onNewProblem, int queueCapacity) {
        this.client = client;
        this.newProblems = new LoggingProblemReporter(onNewProblem.andThen(this::enqueue));
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queueCapacity),
                runnable -> {
                    Thread thread = new Thread(runnable, "shardgate-events");
                    thread.setDaemon(true);
                    return thread;
                },
                (runnable, executor) -> {
                    if (dropped.getAndIncrement() == 0) log.warn("Event queue full: dropping Kubernetes Events (counted in droppedEvents)");
                });
    }

    @Override
    public void report(String subject, Collection<Problem> problems) {
        newProblems.report(subject, problems);
    }

    @Override
    public java.util.List<Problem> current() {
        return newProblems.current();
    }

    /** Events not sent because the queue was full, since start. */
    public long droppedEvents() {
        return dropped.get();
    }

    /** Sends the Events already queued (waiting up to 10 seconds), then stops. */
    @Override
    public void close() {
        sender.shutdown();
        try {
            if (!sender.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("{} Kubernetes Events not sent at shutdown", sender.shutdownNow().size());
            }
        } catch (InterruptedException e) {
            sender.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void enqueue(Problem problem) {
        if (problem.object() == null) return;
        if (sender.isShutdown()) return;
        sender.execute(() -> send(problem));
    }

    private void send(Problem problem) {
        ObjectRef ref = problem.object();
        try {
            Class<? extends HasMetadata> type = modelType(ref.kind());
            HasMetadata current = resource(type, ref).get();
            String uid = current == null ? null : current.getMetadata().getUid();
            Event event = event(problem, type, uid, Instant.now());
            client.v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event).create();
        } catch (RuntimeException e) {
            log.warn("Could not create the Event {} on {}: {}", problem.reason(), ref, e.toString());
        }
    }

    private Event event(Problem problem, Class<? extends HasMetadata> type, String uid, Instant now) {
        ObjectRef ref = problem.object();
        String namespace = ref.namespace().isEmpty() ? CLUSTER_SCOPED_EVENT_NAMESPACE : ref.namespace();
        String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
        return new EventBuilder()
                .withNewMetadata().withNamespace(namespace).withName(eventName(ref.name(), now)).endMetadata()
                .withNewInvolvedObject()
                    .withApiVersion(HasMetadata.getApiVersion(type))
                    .withKind(HasMetadata.getKind(type))
                    .withNamespace(ref.namespace().isEmpty() ? null : ref.namespace())
                    .withName(ref.name())
                    .withUid(uid)
                .endInvolvedObject()
                .withType("Warning")
                .withReason(problem.reason())
                .withMessage(truncate(problem.message()))
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .withFirstTimestamp(timestamp)
                .withLastTimestamp(timestamp)
                .withCount(1)
                .build();
    }

    /** {@code <object>.<hex nanos>}, as client-go names Events; the nanos only grow, so names never collide here. */
    private String eventName(String objectName, Instant now) {
        long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        long unique = lastNameNanos.updateAndGet(last -> Math.max(last + 1, nanos));
        String prefix = objectName.length() > MAX_NAME_PREFIX_LENGTH ? objectName.substring(0, MAX_NAME_PREFIX_LENGTH) : objectName;
        return prefix + "." + Long.toHexString(unique);
    }

    private Resource<? extends HasMetadata> resource(Class<? extends HasMetadata> type, ObjectRef ref) {
        var resources = client.resources(type);
        return ref.namespace().isEmpty() ? resources.withName(ref.name()) : resources.inNamespace(ref.namespace()).withName(ref.name());
    }

    private static Class<? extends HasMetadata> modelType(ObjectRef.Kind kind) {
        return switch (kind) {
            case INGRESS -> Ingress.class;
            case INGRESS_CLASS -> IngressClass.class;
            case SECRET -> Secret.class;
            case SERVICE -> Service.class;
            case ENDPOINT_SLICE -> EndpointSlice.class;
            case GATEWAY_CLASS -> GatewayClass.class;
            case GATEWAY -> Gateway.class;
            case HTTP_ROUTE -> HTTPRoute.class;
            case REFERENCE_GRANT -> ReferenceGrant.class;
            case LISTENER_SET -> ListenerSet.class;
            case NAMESPACE -> io.fabric8.kubernetes.api.model.Namespace.class;
        };
    }

    private static String truncate(String message) {
        return message.length() <= MAX_MESSAGE_LENGTH ? message : message.substring(0, MAX_MESSAGE_LENGTH - 3) + "...";
    }
}

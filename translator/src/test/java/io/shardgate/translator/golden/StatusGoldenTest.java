package io.shardgate.translator.golden;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.translator.Translator;
import io.shardgate.translator.domain.ClaimedHosts;
import io.shardgate.translator.domain.GatewayDefinitions;
import io.shardgate.translator.input.GatewayClassInput;
import io.shardgate.translator.input.GatewayInput;
import io.shardgate.translator.input.HttpRouteInput;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ListenerSetInput;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.input.ReferenceGrantInput;
import io.shardgate.translator.input.ServiceInput;
import io.shardgate.translator.input.TlsSecretInput;
import io.shardgate.translator.status.Condition;
import io.shardgate.translator.status.GatewayStatus;
import io.shardgate.translator.status.HttpRouteStatus;
import io.shardgate.translator.status.ListenerRef;
import io.shardgate.translator.status.ListenerSetStatus;
import io.shardgate.translator.status.ListenerStatus;
import io.shardgate.translator.status.RouteParentStatus;
import io.shardgate.translator.testing.InMemoryInputs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden status: the Gateway API objects of testdata/in/CASE.yaml must get exactly the status in
 * testdata/status/CASE.yaml, from the inputs in any order. Cases without Gateway API objects have no status file.
 * Regenerate with {@code mvn -pl translator test -Dgolden.update=true} and review the diff: it is what users read.
 */
class StatusGoldenTest {

    static Stream<String> cases() throws IOException {
        List<String> withGatewayApi = new ArrayList<>();
        for (String name : GoldenTest.cases().toList()) {
            if (GoldenTest.load(name).stream().anyMatch(o -> o instanceof GatewayInput || o instanceof HttpRouteInput
                    || o instanceof ListenerSetInput)) {
                withGatewayApi.add(name);
            }
        }
        return withGatewayApi.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void statusIsGolden(String name) throws IOException {
        List<InputObject> objects = GoldenTest.load(name);
        String actual = render(objects);
        List<InputObject> shuffled = new ArrayList<>(objects);
        Collections.shuffle(shuffled, new Random(name.hashCode()));
        assertThat(render(shuffled)).as("status from shuffled input").isEqualTo(actual);

        Path golden = GoldenTest.TESTDATA.resolve("status").resolve(name + ".yaml");
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
        }
        assertThat(golden).as("golden file; create it with -Dgolden.update=true").exists();
        assertThat(actual).as("status of %s differs from %s; if intended, rerun with -Dgolden.update=true and review", name, golden)
                .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }

    /**
     * Every Shardgate class's, Gateway's, ListenerSet's and HTTPRoute's status, sorted by name. ListenerSets come only
     * into documents of cases that have some, so the other goldens stay as they were.
     */
    static String render(List<InputObject> objects) {
        Translator translator = Translator.create(GoldenTest.CONFIG);
        InMemoryInputs inputs = new InMemoryInputs(host -> List.of(), GatewayDefinitions.of(objects), only(objects, ServiceInput.class),
                only(objects, TlsSecretInput.class), only(objects, ReferenceGrantInput.class));
        List<HttpRouteInput> routes = only(objects, HttpRouteInput.class);
        Map<String, Object> document = new LinkedHashMap<>();
        Map<String, Object> classes = new LinkedHashMap<>();
        for (GatewayClassInput c : sorted(only(objects, GatewayClassInput.class))) {
            if (c.isShardgate()) classes.put(c.name(), conditions(translator.gatewayClassStatus(c).conditions()));
        }
        document.put("gatewayClasses", classes);
        Map<ListenerRef, Integer> attached = new TreeMap<>();
        for (HttpRouteInput r : routes) {
            String servedBy = translator.claimOf(r, inputs).map(ClaimedHosts::gateway).orElse(null);
            translator.attachedListeners(r, servedBy, inputs).forEach(l -> attached.merge(l, 1, Integer::sum));
        }
        Map<String, Object> listenerSets = new LinkedHashMap<>();
        Map<ObjectRef, Integer> attachedSets = new TreeMap<>();
        for (ListenerSetInput set : sorted(only(objects, ListenerSetInput.class))) {
            Optional<ListenerSetStatus> status = translator.listenerSetStatus(set, attachedTo(set.ref(), attached), inputs);
            if (status.isEmpty()) continue;
            if (status.get().isAccepted()) attachedSets.merge(set.gateway(), 1, Integer::sum);
            listenerSets.put(set.ref().toString(), statusOf(status.get().conditions(), status.get().listeners()));
        }
        Map<String, Object> gateways = new LinkedHashMap<>();
        for (GatewayInput g : sorted(only(objects, GatewayInput.class))) {
            if (inputs.gatewayClass(g.gatewayClassName()).filter(GatewayClassInput::isShardgate).isEmpty()) continue;
            GatewayStatus status = translator.gatewayStatus(g, attachedTo(g.ref(), attached), attachedSets.getOrDefault(g.ref(), 0), inputs);
            Map<String, Object> rendered = statusOf(status.conditions(), status.listeners());
            if (!listenerSets.isEmpty()) rendered.put("attachedListenerSets", status.attachedListenerSets());
            gateways.put(g.ref().toString(), rendered);
        }
        document.put("gateways", gateways);
        if (!listenerSets.isEmpty()) document.put("listenerSets", listenerSets);
        Map<String, Object> routeStatuses = new LinkedHashMap<>();
        for (HttpRouteInput r : sorted(routes)) {
            HttpRouteStatus status = translator.routeStatus(r, inputs);
            List<Object> parents = new ArrayList<>();
            for (RouteParentStatus parent : status.parents()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("parentRef", parentRef(parent.parentRef()));
                entry.put("conditions", conditions(parent.conditions()));
                parents.add(entry);
            }
            routeStatuses.put(r.ref().toString(), parents);
        }
        document.put("httpRoutes", routeStatuses);
        return GoldenYaml.dump(document);
    }

    /** Listener name → routes attached, of one Gateway or ListenerSet. */
    private static Map<String, Integer> attachedTo(ObjectRef owner, Map<ListenerRef, Integer> attached) {
        Map<String, Integer> byListener = new TreeMap<>();
        attached.forEach((l, n) -> { if (l.gateway().equals(owner)) byListener.put(l.listener(), n); });
        return byListener;
    }

    private static Map<String, Object> statusOf(List<Condition> conditions, List<ListenerStatus> listenerStatuses) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("conditions", conditions(conditions));
        List<Object> listeners = new ArrayList<>();
        for (ListenerStatus listener : listenerStatuses) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", listener.name());
            entry.put("supportedKinds", new ArrayList<>(listener.supportedKinds())); // a copy: no YAML anchors
            entry.put("attachedRoutes", listener.attachedRoutes());
            entry.put("conditions", conditions(listener.conditions()));
            listeners.add(entry);
        }
        out.put("listeners", listeners);
        return out;
    }

    /** The fields set, as written. */
    private static String parentRef(HttpRouteInput.ParentRef ref) {
        StringBuilder out = new StringBuilder();
        if (ref.group() != null) out.append(ref.group()).append('/');
        if (ref.kind() != null) out.append(ref.kind()).append(' ');
        if (ref.namespace() != null) out.append(ref.namespace()).append('/');
        out.append(ref.name());
        if (ref.sectionName() != null) out.append(" section ").append(ref.sectionName());
        if (ref.port() != null) out.append(" port ").append(ref.port());
        return out.toString();
    }

    private static List<String> conditions(List<Condition> conditions) {
        return conditions.stream().map(c -> c.type() + "=" + (c.status() ? "True" : "False") + " " + c.reason() + ": " + c.message())
                .toList();
    }

    private static <T> List<T> only(List<InputObject> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static <T extends InputObject> List<T> sorted(List<T> objects) {
        return objects.stream().sorted(Comparator.comparing(InputObject::ref)).toList();
    }
}

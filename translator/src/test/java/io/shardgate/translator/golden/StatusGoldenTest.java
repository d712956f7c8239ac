package io.shardgate.translator.golden;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.translator.Translator;
import io.shardgate.translator.domain.ClaimedHosts;
import io.shardgate.translator.domain.GatewayDefinitions;
import io.shardgate.translator.input.GatewayClassInput;
import io.shardgate.translator.input.GatewayInput;
import io.shardgate.translator.input.HttpRouteInput;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ReferenceGrantInput;
import io.shardgate.translator.input.ServiceInput;
import io.shardgate.translator.input.TlsSecretInput;
import io.shardgate.translator.status.Condition;
import io.shardgate.translator.status.GatewayStatus;
import io.shardgate.translator.status.HttpRouteStatus;
import io.shardgate.translator.status.ListenerRef;
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
            if (GoldenTest.load(name).stream().anyMatch(o -> o instanceof GatewayInput || o instanceof HttpRouteInput)) {
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

    /** Every Shardgate class's, Gateway's and HTTPRoute's status, sorted by name. */
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
        Map<String, Object> gateways = new LinkedHashMap<>();
        for (GatewayInput g : sorted(only(objects, GatewayInput.class))) {
            if (inputs.gatewayClass(g.gatewayClassName()).filter(GatewayClassInput::isShardgate).isEmpty()) continue;
            Map<String, Integer> byListener = new TreeMap<>();
            attached.forEach((l, n) -> { if (l.gateway().equals(g.ref())) byListener.put(l.listener(), n); });
            gateways.put(g.ref().toString(), gateway(translator.gatewayStatus(g, byListener, inputs)));
        }
        document.put("gateways", gateways);
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

    private static Map<String, Object> gateway(GatewayStatus status) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("conditions", conditions(status.conditions()));
        List<Object> listeners = new ArrayList<>();
        for (ListenerStatus listener : status.listeners()) {
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

package io.shardgate.translator.golden;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.translator.Translator;
import io.shardgate.translator.TranslatorConfig;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ManifestDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * Golden pairs: testdata/in/CASE.yaml (Kubernetes objects) must translate to exactly testdata/out/CASE.yaml.
 * Regenerate the outputs after an intended change with {@code mvn -pl translator test -Dgolden.update=true}
 * and review the diff: it is what Envoy will see.
 */
class GoldenTest {
    static final Path TESTDATA = Path.of("src/test/resources/testdata");
    /** The gateway every case translates: the IngressClass named "shardgate". */
    static final String GATEWAY = "shardgate";
    /** Fixed so certificate expiry is deterministic: the "short-lived" fixture has expired by then. */
    static final TranslatorConfig CONFIG = new TranslatorConfig(8080, 8443, Duration.ofSeconds(5), Duration.ofSeconds(60),
            Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC));

    static Stream<String> cases() throws IOException {
        try (Stream<Path> files = Files.list(TESTDATA.resolve("in"))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - ".yaml".length()))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void translatesToGolden(String name) throws IOException {
        String actual = GoldenYaml.render(GatewayDriver.translate(Translator.create(CONFIG), GATEWAY, load(name)));
        Path golden = TESTDATA.resolve("out").resolve(name + ".yaml");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
        }
        assertThat(golden).as("golden file; create it with -Dgolden.update=true").exists();
        assertThat(actual)
                .as("translation of %s differs from %s; if intended, rerun with -Dgolden.update=true and review", name, golden)
                .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }

    static List<InputObject> load(String name) throws IOException {
        List<InputObject> objects = new ArrayList<>();
        String text = Files.readString(TESTDATA.resolve("in").resolve(name + ".yaml"), StandardCharsets.UTF_8);
        for (Object document : new Yaml().loadAll(text)) {
            if (document == null) continue;
            @SuppressWarnings("unchecked")
            Map<String, Object> manifest = (Map<String, Object>) document;
            objects.addAll(ManifestDecoder.decodeAll(manifest));
        }
        return objects;
    }
}

package io.shardgate.translator.envoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.shardgate.translator.input.GatewayLayout;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PackerTest {
    private final Packer packer = new Packer(new EnvoyValidator());

    @Test
    void validatesAConfigBeforePackingIt() {
        assertThatThrownBy(() -> packer.pack(HttpConnectionManager.getDefaultInstance())).hasMessageContaining("stat_prefix");
    }

    @Test
    void aViolationWhilePackingIsTheBuiltResourcesOwn() {
        assertThatThrownBy(() -> packer.build(FilterChain.getDescriptor(), () -> FilterChain.newBuilder()
                .addFilters(Filter.newBuilder()
                        .setName("envoy.filters.network.http_connection_manager")
                        .setTypedConfig(packer.pack(HttpConnectionManager.getDefaultInstance())))
                .build()))
                .isInstanceOfSatisfying(Packer.Invalid.class, invalid -> {
                    assertThat(invalid.typeName()).isEqualTo("FilterChain");
                    assertThat(invalid.violation()).contains("stat_prefix");
                });
    }

    @Test
    void packsWithTheValidatorItIsGiven() {
        Packer failingRouter = new Packer(m -> m instanceof Router ? Optional.of("injected violation") : Optional.empty());

        assertThatThrownBy(() -> failingRouter.build(Listener.getDescriptor(),
                () -> Listeners.http(failingRouter, 8080, GatewayLayout.CLASSIC)))
                .isInstanceOfSatisfying(Packer.Invalid.class, invalid -> {
                    assertThat(invalid.typeName()).isEqualTo("Listener");
                    assertThat(invalid.violation()).isEqualTo("injected violation");
                });
    }

    /**
     * Every Any is made by {@link Packer#pack}, or the validator's trust in packed Anys is misplaced. Read from the
     * compiled classes' constant pools, which name every method a class calls, lambdas and method references included.
     */
    @Test
    void noOtherClassMakesAnAny() throws IOException, URISyntaxException {
        Path classes = Path.of(Packer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Path> translatorClasses;
        try (Stream<Path> files = Files.walk(classes.resolve("io/shardgate/translator"))) {
            translatorClasses = files.filter(f -> f.toString().endsWith(".class")).toList();
        }
        List<String> makers = new ArrayList<>();
        for (Path classFile : translatorClasses) {
            if (methodsCalled(classFile).stream().anyMatch(PackerTest::makesAnAny)) makers.add(classes.relativize(classFile).toString());
        }

        assertThat(makers).containsExactly("io/shardgate/translator/envoy/Packer.class");
    }

    private static final Set<String> ANY_READERS = Set.of("getTypeUrl", "getValue", "getDescriptor");

    private record MethodRef(String owner, String name, String descriptor) {}

    /** A method of Any.Builder, one taking or returning one (as getTypedConfigBuilder), or Any's own but its readers. */
    private static boolean makesAnAny(MethodRef method) {
        return method.owner().equals("com/google/protobuf/Any$Builder")
                || method.descriptor().contains("Lcom/google/protobuf/Any$Builder;")
                || method.owner().equals("com/google/protobuf/Any") && !ANY_READERS.contains(method.name());
    }

    /** The Methodref and InterfaceMethodref entries of a class file's constant pool (JVMS 4.4). */
    private static List<MethodRef> methodsCalled(Path classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(classFile)));
        in.skipBytes(8); // magic and version
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] first = new int[count];
        int[] second = new int[count];
        List<Integer> methods = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 7, 8, 16, 19, 20 -> first[i] = in.readUnsignedShort();
                case 3, 4 -> in.skipBytes(4);
                case 5, 6 -> {
                    in.skipBytes(8);
                    i++; // a long or double takes two entries
                }
                case 15 -> in.skipBytes(3); // a method handle names a Methodref entry of its own
                case 9, 10, 11, 12, 17, 18 -> {
                    first[i] = in.readUnsignedShort();
                    second[i] = in.readUnsignedShort();
                    if (tag == 10 || tag == 11) methods.add(i);
                }
                default -> throw new IllegalStateException(classFile + ": constant pool tag " + tag);
            }
        }
        return methods.stream()
                .map(m -> new MethodRef(utf8[first[first[m]]], utf8[first[second[m]]], utf8[second[second[m]]]))
                .toList();
    }
}

package io.shardgate.translator.golden;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.translator.Translator;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.resource.XdsResource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Same input, any order, any translator instance: byte-identical resources and identical versions. */
class DeterminismTest {

    static List<String> cases() throws IOException {
        return GoldenTest.cases().toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameInputInAnyOrderGivesIdenticalBytes(String name) throws IOException {
        List<InputObject> objects = GoldenTest.load(name);
        List<InputObject> shuffled = new ArrayList<>(objects);
        Collections.shuffle(shuffled, new Random(name.hashCode()));
        List<InputObject> reversed = new ArrayList<>(objects);
        Collections.reverse(reversed);

        List<XdsResource> first = translate(objects);
        assertThat(translate(objects)).isEqualTo(first);
        assertThat(translate(shuffled)).isEqualTo(first);
        assertThat(translate(reversed)).isEqualTo(first);
    }

    private static List<XdsResource> translate(List<InputObject> objects) {
        return GatewayDriver.translate(Translator.create(GoldenTest.CONFIG), GoldenTest.GATEWAY, objects).resources();
    }
}

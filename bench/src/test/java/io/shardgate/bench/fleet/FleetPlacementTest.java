package io.shardgate.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardgate.bench.Args;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetPlacementTest {

    @Test
    void byDefaultTheFleetHasAJvmOfItsOwn() {
        FleetPlacement placement = FleetPlacement.from(new Args(new String[0]));
        assertThat(placement.ownProcess()).isTrue();
        assertThat(placement.pin()).isEqualTo("auto");
        if (Runtime.getRuntime().availableProcessors() < 4) {
            assertThat(placement.cpus()).as("too few cores to split without halving the server").isEmpty();
        }
    }

    @Test
    void explicitCpuListsAreGivenToTheServerAndTheFleet() {
        FleetPlacement placement = FleetPlacement.of("process", "0-3/4-7", "4g");
        if (placement.cpus().isPresent()) assertThat(placement.cpus().get()).isEqualTo(List.of("0-3", "4-7"));
        assertThat(FleetPlacement.of("process", "none", "4g").cpus()).isEmpty();
        assertThat(FleetPlacement.of("in-process", "auto", "4g").cpus()).as("one process cannot be split").isEmpty();
    }

    @Test
    void wrongFlagsFailSayingWhatIsExpected() {
        assertThatThrownBy(() -> FleetPlacement.of("thread", "auto", "4g")).hasMessageContaining("expected process or in-process");
        assertThatThrownBy(() -> FleetPlacement.of("process", "0,1", "4g")).hasMessageContaining("<server cpus>/<fleet cpus>");
        assertThatThrownBy(() -> FleetPlacement.of("in-process", "0/1", "4g")).hasMessageContaining("needs --fleet=process");
    }
}

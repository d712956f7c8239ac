package io.shardgate.bench.fleet;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardgate.bench.Args;
import org.junit.jupiter.api.Test;

class FleetAgentTest {

    /** The harness gives a child fleet its link token in the environment; started without one, it refuses. */
    @Test
    void anAgentWithoutTheHarnessTokenRefusesToStart() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(FleetAgent.TOKEN_ENV) == null);
        assertThatThrownBy(() -> FleetAgent.run(new Args(new String[] {"--link=1"})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(FleetAgent.TOKEN_ENV);
    }
}

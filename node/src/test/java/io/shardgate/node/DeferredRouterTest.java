package io.shardgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.node.ads.ShardRouter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

/**
 * The node's ADS server gets its router before the cluster is up, through a forwarding router. A ShardRouter method
 * it does not forward answers with the interface's default for the whole cluster (it hid the fence and the
 * catch-up after a take-over from every stream once): every method must be forwarded.
 */
class DeferredRouterTest {
    @Test
    void everyShardRouterMethodIsForwarded() throws Exception {
        Class<?> deferred = Class.forName("io.shardgate.node.Node$DeferredRouter");
        for (Method m : ShardRouter.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) continue;
            assertThat(deferred.getDeclaredMethod(m.getName(), m.getParameterTypes()).getDeclaringClass())
                    .as("%s is forwarded", m.getName()).isEqualTo(deferred);
        }
    }
}

package io.shardgate.node.ads;

import static io.shardgate.node.ads.AdsTestBed.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.shardgate.sharding.ShardId;
import io.shardgate.translator.resource.XdsResource;
import io.shardgate.xdsclient.Mode;
import io.shardgate.xdsclient.XdsClient;
import io.shardgate.xdsclient.XdsType;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Max connection age, keepalive, and the end of a stream whose shard left this node. */
class AdsConnectionLifetimeTest {

    @Test
    void aConnectionOlderThanTheMaximumAgeIsClosedAndItsClientForgotten() throws Exception {
        AdsTestBed bed = new AdsTestBed(options -> options.withMaxConnectionAge(Duration.ofMillis(300), 0.2, Duration.ofMillis(200)));
        try {
            StandardShard.serve(bed);
            XdsClient client = bed.connect(Mode.DELTA);
            bed.awaitStoreState(client);

            Status status = client.terminated().get(AdsTestBed.TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            assertThat(status.isOk()).as("stream ended by the server: %s", status).isFalse();
            AdsTestBed.eventually("the server forgets the client", () -> bed.server.clients().isEmpty());
        } finally {
            bed.close();
        }
    }

    @Test
    void aStreamWhoseShardLeftThisNodeUnannouncedIsEndedAtItsNextPushNotServed() throws Exception {
        // What a node sees on waking from a pause: the route already says "not here", no notice has come yet.
        AtomicReference<ShardRouter.Route> route = new AtomicReference<>(ShardRouter.Route.LOCAL);
        ShardRouter silent = new ShardRouter() {
            @Override
            public ShardRouter.Route route(ShardId shard) {
                return route.get();
            }

            @Override
            public Runnable onChange(Runnable listener) {
                return () -> {};
            }
        };
        AdsTestBed bed = new AdsTestBed(silent, options -> options);
        try {
            StandardShard.serve(bed);
            XdsClient client = bed.connect(Mode.DELTA);
            bed.awaitStoreState(client);

            route.set(ShardRouter.Route.UNPLACED);
            XdsResource renewed = EnvoyResources.secret(StandardShard.CERT_A, "renewed");
            bed.put(renewed);

            Status status = client.terminated().get(AdsTestBed.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(client.resource(XdsType.SECRET, renewed.name()).body()).as("the new version was not pushed")
                    .isNotEqualTo(renewed.body());
        } finally {
            bed.close();
        }
    }

    @Test
    void keepalivePingsLeaveAnAnsweringClientConnected() throws Exception {
        AdsTestBed bed = new AdsTestBed(options -> options.withKeepAlive(Duration.ofMillis(50), Duration.ofSeconds(5)));
        try {
            StandardShard.serve(bed);
            XdsClient client = bed.connect(Mode.SOTW);
            bed.awaitStoreState(client);

            assertThat(client.awaitState(s -> false, Duration.ofMillis(500))).isFalse(); // ten keepalive rounds
            XdsResource renewed = EnvoyResources.secret(StandardShard.CERT_A, "renewed");
            bed.put(renewed);

            await(client, "an update after the keepalives", s -> s.resource(XdsType.SECRET, StandardShard.CERT_A).body().equals(renewed.body()));
            assertThat(client.terminated()).isNotDone();
        } finally {
            bed.close();
        }
    }
}

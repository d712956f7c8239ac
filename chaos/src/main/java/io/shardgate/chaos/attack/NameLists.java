package io.shardgate.chaos.attack;

import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.Status;
import io.shardgate.xdsclient.BareAds;
import io.shardgate.xdsclient.XdsType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code lists} SotW streams at once, each subscribing to route configurations whose names fill {@code megabytes}. */
record NameLists(int lists, int megabytes) implements ClientAttack {
    @Override
    public String name() {
        return lists + " name lists of " + megabytes + " MB";
    }

    @Override
    public Outcome run(AttackTarget target) throws Exception {
        String padding = "n".repeat(1_000);
        List<String> names = new ArrayList<>();
        for (int i = 0; names.size() * 1_000L < megabytes * 1_000_000L; i++) names.add(i + padding);
        DiscoveryRequest request = BareAds.sotw(BareAds.node("names", AttackManifests.GATEWAY), XdsType.ROUTE, "", names);
        List<BareAds> connections = new ArrayList<>();
        List<BareAds.Stream<?, ?>> streams = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < lists; i++) {
                BareAds connection = new BareAds(target.adsPort(), 1 << 20);
                connections.add(connection);
                var stream = connection.sotw();
                stream.send(request);
                streams.add(stream);
            }
            List<Status.Code> codes = new ArrayList<>();
            for (var stream : streams) codes.add(stream.awaitEnd(Duration.ofMinutes(2)).getCode());
            long millis = (System.nanoTime() - start) / 1_000_000;
            boolean held = codes.stream().allMatch(c -> c == Status.Code.RESOURCE_EXHAUSTED);
            return new Outcome(held, "request " + request.getSerializedSize() / 1_000_000 + " MB with " + names.size()
                    + " names; every stream ended " + codes.stream().distinct().toList() + " within " + millis + " ms");
        } finally {
            for (BareAds connection : connections) connection.close();
        }
    }
}

package io.shardgate.chaos.attack;

import io.grpc.Status;
import io.shardgate.xdsclient.BareAds;
import io.shardgate.xdsclient.XdsType;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams whose node id is 1 MB long, holds a TAB, or holds a line break followed by a forged log line. Each
 * must be refused with a short status, and nothing of it may reach a log line unescaped.
 */
record HostileNodeIds() implements ClientAttack {
    private static final String FORGED = "[main] ERROR forged-by-node-id";

    @Override
    public String name() {
        return "1 MB, TAB and newline node ids";
    }

    @Override
    public Outcome run(AttackTarget target) throws Exception {
        List<String> ids = List.of("x".repeat(1 << 20), "tab\tid", "newline\n" + FORGED);
        List<String> answers = new ArrayList<>();
        boolean held = true;
        try (BareAds connection = new BareAds(target.adsPort(), 1 << 20)) {
            for (String id : ids) {
                var stream = connection.sotw();
                stream.send(BareAds.sotw(BareAds.node(id, AttackManifests.GATEWAY), XdsType.CLUSTER, "", List.of()));
                Status status = stream.awaitEnd(Duration.ofSeconds(30));
                int length = status.getDescription() == null ? 0 : status.getDescription().length();
                answers.add(status.getCode() + " (" + length + " characters)");
                held &= status.getCode() == Status.Code.INVALID_ARGUMENT && length < 1_000;
            }
        }
        long forged = Files.readAllLines(target.log()).stream().filter(l -> l.startsWith(FORGED)).count();
        return new Outcome(held && forged == 0, "answered " + answers + "; " + forged + " forged log lines");
    }
}

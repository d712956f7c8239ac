package io.shardgate.bench.fleet;

import io.shardgate.bench.Args;
import io.shardgate.bench.measure.CpuMeter;
import io.shardgate.sharding.ShardId;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.xdsclient.ReceivedResource;
import io.shardgate.xdsclient.RemovedResource;
import io.shardgate.xdsclient.XdsClientOptions;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A {@link Fleet} run for a harness elsewhere ({@link FleetProcess}), over one loopback connection: it streams the
 * arrivals and removals its clients see once told to record, and answers whether it is served and what it cost. The
 * fleet's decoding then runs in its own process, off the server's heap and, where pinned, off the server's cores.
 *
 * <p>The link, both ways, is a stream of frames: a tag byte, then the tag's fields ({@link DataOutputStream} encoding).
 */
public final class FleetAgent {
    static final byte HELLO = 'H';
    static final byte ARRIVAL = 'A';
    static final byte RECORD = 'R';
    static final byte SERVED = 'S';
    static final byte NOT_SERVED = 'F';
    static final byte TALLY = 'T';
    static final byte CLOSE = 'C';
    /** Where a child fleet finds the token it proves itself with on the link ({@link FleetProcess#start}). */
    static final String TOKEN_ENV = "SHARDGATE_FLEET_TOKEN";

    /** What fleet to run: {@link Fleet#connect}'s parameters. */
    public record Plan(String host, List<Integer> ports, String gateway, int shards, int clients, double deltaShare,
            boolean nodeOnEveryRequest, XdsClientOptions.ClientTls tls, boolean handshakeEveryHost) {

        public List<Fleet.Seat> seats() {
            return Fleet.seats(gateway, shards, clients, deltaShare);
        }

        List<String> toArgs() {
            List<String> out = new ArrayList<>(List.of("--host=" + host,
                    "--ports=" + String.join(",", ports.stream().map(String::valueOf).toList()), "--gateway=" + gateway,
                    "--shards=" + shards, "--clients=" + clients, "--delta-share=" + deltaShare,
                    "--node-every-request=" + nodeOnEveryRequest, "--handshake-every-host=" + handshakeEveryHost));
            if (tls != null) {
                out.addAll(List.of("--tls-certificate=" + tls.certificate(), "--tls-key=" + tls.key(), "--tls-ca=" + tls.ca()));
                if (tls.serverName() != null) out.add("--tls-server-name=" + tls.serverName());
            }
            return out;
        }

        static Plan from(Args args) {
            String certificate = args.string("tls-certificate", "");
            XdsClientOptions.ClientTls tls = certificate.isEmpty() ? null : new XdsClientOptions.ClientTls(Path.of(certificate),
                    Path.of(args.string("tls-key", "")), Path.of(args.string("tls-ca", "")), emptyToNull(args.string("tls-server-name", "")));
            return new Plan(args.string("host", "127.0.0.1"), args.integers("ports", "18000"), args.string("gateway", "public"),
                    args.integer("shards", 1), args.integer("clients", 1), args.decimal("delta-share", 0.5),
                    Boolean.parseBoolean(args.string("node-every-request", "false")), tls,
                    Boolean.parseBoolean(args.string("handshake-every-host", "false")));
        }

        private static String emptyToNull(String s) {
            return s.isEmpty() ? null : s;
        }
    }

    private FleetAgent() {}

    /** {@code Bench fleet-agent --link=<port> <plan flags>}: the child process's whole life. */
    public static void run(Args args) throws Exception {
        int link = args.integer("link", 0);
        Plan plan = Plan.from(args);
        args.checkAllRead();
        String token = System.getenv(TOKEN_ENV);
        if (token == null) throw new IllegalArgumentException(TOKEN_ENV + " is not set: the fleet agent is started by a scenario, not by hand");
        serve(plan, link, token, true);
    }

    /**
     * Connects to the harness on {@code linkPort}, runs the fleet, proves itself with {@code token}, and answers until
     * told to close.
     *
     * @param ownProcess whether this JVM runs nothing else (its CPU time is the fleet's)
     */
    static void serve(Plan plan, int linkPort, String token, boolean ownProcess) throws IOException, InterruptedException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), linkPort)) {
            socket.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
            LinkedBlockingQueue<Arrival> queue = new LinkedBlockingQueue<>();
            Recorder recorder = new Recorder(queue);
            try (Fleet fleet = Fleet.connect(plan.host(), plan.ports(), plan.gateway(), plan.shards(), plan.clients(), plan.deltaShare(),
                    plan.nodeOnEveryRequest(), plan.tls(), plan.handshakeEveryHost(), recorder)) {
                Thread writer = new Thread(() -> forward(queue, out), "bench-fleet-writer");
                writer.setDaemon(true);
                writer.start();
                frame(out, o -> {
                    o.writeByte(HELLO);
                    o.writeUTF(token);
                });
                while (true) {
                    byte command = in.readByte();
                    if (command == CLOSE) break;
                    switch (command) {
                        case RECORD -> recorder.recording = true;
                        case SERVED -> answerServed(fleet, in, out);
                        case TALLY -> frame(out, o -> {
                            o.writeByte(TALLY);
                            o.writeLong(fleet.nacks());
                            o.writeLong(ownProcess ? CpuMeter.processCpu() : -1);
                        });
                        default -> throw new IOException("unknown command " + command);
                    }
                }
                writer.interrupt();
            }
        }
    }

    private static void answerServed(Fleet fleet, DataInputStream in, DataOutputStream out) throws IOException, InterruptedException {
        Duration timeout = Duration.ofNanos(in.readLong());
        int shards = in.readInt();
        Map<ShardId, HeldDigest> truth = new HashMap<>();
        for (int i = 0; i < shards; i++) {
            ShardId shard = new ShardId(in.readUTF(), in.readInt());
            int[] counts = new int[in.readInt()];
            for (int t = 0; t < counts.length; t++) counts[t] = in.readInt();
            truth.put(shard, new HeldDigest(counts, in.readLong()));
        }
        try {
            long servedAt = fleet.awaitServed(truth, timeout);
            frame(out, o -> {
                o.writeByte(SERVED);
                o.writeLong(servedAt);
            });
        } catch (IllegalStateException e) {
            frame(out, o -> {
                o.writeByte(NOT_SERVED);
                o.writeUTF(e.getMessage());
            });
        }
    }

    /** Writes what the clients saw, flushing whenever the queue runs dry (arrival times are taken at arrival, not here). */
    private static void forward(LinkedBlockingQueue<Arrival> queue, DataOutputStream out) {
        try {
            while (true) {
                Arrival first = queue.take();
                synchronized (out) {
                    for (Arrival a = first; a != null; a = queue.poll()) {
                        out.writeByte(ARRIVAL);
                        out.writeInt(a.client());
                        out.writeByte(a.type().ordinal());
                        out.writeUTF(a.name());
                        out.writeInt(a.size());
                        out.writeLong(a.digest());
                        out.writeLong(a.nanos());
                    }
                    out.flush();
                }
            }
        } catch (InterruptedException | IOException closed) {
            // the harness closed the link
        }
    }

    /** Reads an arrival frame's fields (after its tag). */
    static Arrival readArrival(DataInputStream in, List<Fleet.Seat> seats) throws IOException {
        int client = in.readInt();
        ResourceType type = ResourceType.values()[in.readByte()];
        return new Arrival(client, seats.get(client).shard(), type, in.readUTF(), in.readInt(), in.readLong(), in.readLong());
    }

    interface FrameWriter {
        void write(DataOutputStream out) throws IOException;
    }

    static void frame(DataOutputStream out, FrameWriter writer) throws IOException {
        synchronized (out) {
            writer.write(out);
            out.flush();
        }
    }

    /** Queues what the clients see once recording (not the initial sync: too many, and nobody waits on them). */
    private static final class Recorder implements Fleet.Events {
        private final LinkedBlockingQueue<Arrival> queue;
        volatile boolean recording;

        Recorder(LinkedBlockingQueue<Arrival> queue) {
            this.queue = queue;
        }

        @Override
        public void arrived(Fleet.Seat seat, ReceivedResource resource) {
            if (recording) queue.add(Arrival.of(seat, resource));
        }

        @Override
        public void removed(Fleet.Seat seat, RemovedResource removal) {
            if (recording) queue.add(Arrival.removal(seat, removal));
        }
    }
}

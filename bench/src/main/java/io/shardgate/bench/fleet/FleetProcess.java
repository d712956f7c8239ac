package io.shardgate.bench.fleet;

import io.shardgate.sharding.ShardId;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The harness's side of a {@link FleetAgent}: starts it (a child JVM, or a thread of this one for comparison), then
 * turns its frames into {@link Arrival}s and answers. Arrival times are {@link System#nanoTime()} in the agent; on Linux
 * that is CLOCK_MONOTONIC, one clock for every process on the machine, so they compare with this JVM's.
 */
public final class FleetProcess implements AutoCloseable {
    private static final String AGENT_THREAD = "bench-fleet-agent";

    /** The fleet's NACKs, and its process's CPU time (-1 when it shares this JVM). */
    public record Tally(long nacks, long cpuNanos) {}

    private final List<Fleet.Seat> seats;
    private final Process process;
    private final Thread agent;
    private final Socket socket;
    private final DataOutputStream out;
    private final LinkedBlockingQueue<Object> replies = new LinkedBlockingQueue<>();
    private volatile Consumer<Arrival> arrivals = a -> {};

    /** @param process the fleet's JVM, or null when it runs in {@code agent}, a thread of this one */
    private FleetProcess(FleetAgent.Plan plan, Process process, Thread agent, Socket socket) throws IOException {
        this.seats = plan.seats();
        this.process = process;
        this.agent = agent;
        this.socket = socket;
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
    }

    /**
     * Starts the fleet where {@code placement} says and waits until every client has opened its stream. The link
     * listens on loopback, where any local process could connect first: the fleet proves itself with a one-time token it
     * was given in its environment (not its command line, which other users can read), or the run fails.
     */
    public static FleetProcess start(FleetAgent.Plan plan, FleetPlacement placement, Duration timeout) throws Exception {
        String token = HexFormat.of().formatHex(randomBytes());
        Process process = null;
        try (ServerSocket link = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            link.setSoTimeout((int) timeout.toMillis());
            Thread agent = null;
            if (placement.ownProcess()) {
                List<String> command = new ArrayList<>();
                placement.cpus().ifPresent(cpus -> {
                    try {
                        FleetPlacement.pinThisProcess(cpus.get(0));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    command.addAll(FleetPlacement.taskset(cpus.get(1)));
                });
                // ZGC: the simulated Envoys stamp each arrival when they handle it, so a collector pause of the fleet's
                // (Envoy has none) would be counted as the server's latency.
                command.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx" + placement.fleetHeap(), "-XX:+UseZGC",
                        "-cp", System.getProperty("java.class.path"), "io.shardgate.bench.Bench", "fleet-agent",
                        "--link=" + link.getLocalPort()));
                command.addAll(plan.toArgs());
                ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
                builder.environment().put(FleetAgent.TOKEN_ENV, token);
                process = builder.start();
            } else {
                agent = new Thread(() -> {
                    try {
                        FleetAgent.serve(plan, link.getLocalPort(), token, false);
                    } catch (Exception e) {
                        System.err.println("[bench] fleet agent: " + e);
                    }
                }, AGENT_THREAD);
                agent.setDaemon(true);
                agent.start();
            }
            Socket socket = link.accept();
            socket.setTcpNoDelay(true);
            FleetProcess fleet = new FleetProcess(plan, process, agent, socket);
            fleet.listen();
            Hello hello = fleet.reply(Hello.class, timeout);
            if (!MessageDigest.isEqual(hello.token().getBytes(StandardCharsets.US_ASCII), token.getBytes(StandardCharsets.US_ASCII))) {
                socket.close();
                throw new IllegalStateException("the fleet's link was answered without the fleet's token: another local process"
                        + " connected to port " + link.getLocalPort() + " first");
            }
            return fleet;
        } catch (Exception | Error e) {
            if (process != null) process.destroyForcibly();
            throw e;
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    public List<Fleet.Seat> seats() {
        return seats;
    }

    public long deltaClients() {
        return seats.stream().filter(s -> s.mode() == io.shardgate.xdsclient.Mode.DELTA).count();
    }

    /** From now on every arrival and removal goes to {@code consumer} (on this side's reader thread). */
    public void record(Consumer<Arrival> consumer) throws IOException {
        arrivals = consumer;
        send(o -> o.writeByte(FleetAgent.RECORD));
    }

    /** Waits until every client holds what its shard serves; returns when the last resource arrived (nanoTime). */
    public long awaitServed(Map<ShardId, HeldDigest> truth, Duration timeout) throws Exception {
        send(o -> {
            o.writeByte(FleetAgent.SERVED);
            o.writeLong(timeout.toNanos());
            o.writeInt(truth.size());
            for (Map.Entry<ShardId, HeldDigest> e : truth.entrySet()) {
                o.writeUTF(e.getKey().gateway());
                o.writeInt(e.getKey().shard());
                o.writeInt(e.getValue().counts().length);
                for (int c : e.getValue().counts()) o.writeInt(c);
                o.writeLong(e.getValue().sum());
            }
        });
        Object reply = reply(Object.class, timeout.plusSeconds(30));
        if (reply instanceof NotServed n) throw new IllegalStateException(n.why());
        return ((Served) reply).at();
    }

    public Tally tally() throws Exception {
        send(o -> o.writeByte(FleetAgent.TALLY));
        return reply(Tally.class, Duration.ofSeconds(60));
    }

    private record Hello(String token) {}

    private record Served(long at) {}

    private record NotServed(String why) {}

    private record LinkClosed(String why) {}

    private void listen() {
        Thread reader = new Thread(() -> {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16))) {
                while (true) {
                    byte tag = in.readByte();
                    switch (tag) {
                        case FleetAgent.ARRIVAL -> arrivals.accept(FleetAgent.readArrival(in, seats));
                        case FleetAgent.HELLO -> replies.add(new Hello(in.readUTF()));
                        case FleetAgent.SERVED -> replies.add(new Served(in.readLong()));
                        case FleetAgent.NOT_SERVED -> replies.add(new NotServed(in.readUTF()));
                        case FleetAgent.TALLY -> replies.add(new Tally(in.readLong(), in.readLong()));
                        default -> throw new IOException("unknown frame " + tag);
                    }
                }
            } catch (EOFException closed) {
                replies.add(new LinkClosed("the fleet closed its link"));
            } catch (IOException e) {
                replies.add(new LinkClosed("the fleet's link failed: " + e));
            }
        }, "bench-fleet-link");
        reader.setDaemon(true);
        reader.start();
    }

    private <T> T reply(Class<T> type, Duration timeout) throws InterruptedException {
        Object reply = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (reply == null) throw new IllegalStateException("the fleet did not answer within " + timeout);
        if (reply instanceof LinkClosed c) throw new IllegalStateException(c.why() + (process == null ? "" : " (exit " + exitOf(process) + ")"));
        return type.cast(reply);
    }

    private static String exitOf(Process p) {
        try {
            return p.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(p.exitValue()) : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private void send(FleetAgent.FrameWriter writer) throws IOException {
        FleetAgent.frame(out, writer);
    }

    @Override
    public void close() {
        try {
            send(o -> o.writeByte(FleetAgent.CLOSE));
            if (process != null && !process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly();
            if (agent != null) agent.join(TimeUnit.SECONDS.toMillis(60));
        } catch (IOException | InterruptedException e) {
            if (process != null) process.destroyForcibly();
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}

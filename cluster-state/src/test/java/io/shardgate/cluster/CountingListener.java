package io.shardgate.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/** Listens on a free loopback port (where a rogue says its ADS is) and counts who connects. */
public final class CountingListener implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final AtomicInteger accepted = new AtomicInteger();

    public CountingListener() throws IOException {
        Thread acceptor = new Thread(this::accept, "counting-listener");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** host:port */
    public String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    public int accepted() {
        return accepted.get();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                accepted.incrementAndGet();
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

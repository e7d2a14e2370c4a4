package io.teamsconnector.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Rich notifications, with Entra's signing keys behind an endpoint that accepts connections and never answers:
 * the start-up fetch and every later one hang until the Entra timeout.
 */
public class UnreachableSigningKeysProfile extends RichNotificationsProfile {

    private static final BlackHole KEYS = new BlackHole();

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        overrides.put("connector.signing-keys-url", "http://127.0.0.1:" + KEYS.port() + "/common/discovery/v2.0/keys");
        return overrides;
    }

    /** A TCP server that takes every connection and holds it without a byte in return. */
    static final class BlackHole {
        private final ServerSocket server;
        private final List<Socket> held = new CopyOnWriteArrayList<>();

        BlackHole() {
            try {
                server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        held.add(server.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "signing-keys-black-hole");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }
    }
}

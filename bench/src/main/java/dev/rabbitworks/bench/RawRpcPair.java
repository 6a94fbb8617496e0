package dev.rabbitworks.bench;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.RpcClient;
import com.rabbitmq.client.RpcClientParams;
import com.rabbitmq.client.RpcServer;

/**
 * The RPC baseline: the amqp-client's own {@link RpcServer} and {@link RpcClient} on a queue of their own, on the
 * same broker, nothing else. The server consumes with the same prefetch as one rpc-service replica, computes
 * fib(n) in its one thread, replies to reply_to with the correlation id and acks after the reply (what the
 * library's RpcServer does); the client uses direct reply-to (the library's default) and sends the same request
 * as the producer-service: transient, header procedure, expiration, text/plain. Callers share the one client, as
 * HTTP callers share the producer.
 */
final class RawRpcPair implements AutoCloseable {

    private final Connection serverConnection;
    private final Connection clientConnection;
    private final RpcServer server;
    private final Thread serverThread;
    private final RpcClient client;
    private final AMQP.BasicProperties request;

    /** Declares {@code queue} ({@code type} classic or quorum, durable, recreated) and starts the server. */
    RawRpcPair(Broker broker, String queue, String type, int prefetch) throws IOException, TimeoutException {
        broker.deleteQueue(queue);
        serverConnection = broker.factory().newConnection("bench-raw-rpc-server");
        Channel serverChannel = serverConnection.createChannel();
        serverChannel.queueDeclare(queue, true, false, false, Map.of("x-queue-type", type));
        serverChannel.basicQos(prefetch);
        server = new RpcServer(serverChannel, queue) {
            @Override
            public byte[] handleCall(Delivery request, AMQP.BasicProperties replyProperties) {
                int n = Integer.parseInt(new String(request.getBody(), StandardCharsets.UTF_8).trim());
                return fib(n).toString().getBytes(StandardCharsets.UTF_8);
            }
        };
        serverThread = new Thread(() -> {
            try {
                server.mainloop();
            } catch (IOException | RuntimeException e) {
                // closed
            }
        }, "raw-rpc-server");
        serverThread.setDaemon(true);
        serverThread.start();
        clientConnection = broker.factory().newConnection("bench-raw-rpc-client");
        client = new RpcClient(new RpcClientParams().channel(clientConnection.createChannel()).exchange("")
                .routingKey(queue).timeout(5_000));
        request = new AMQP.BasicProperties.Builder().deliveryMode(1).expiration("5000").contentType("text/plain")
                .headers(Map.of("procedure", "fib")).build();
    }

    /** One call, blocking until its reply. */
    byte[] call(byte[] argument) throws IOException, TimeoutException {
        return client.primitiveCall(request, argument);
    }

    static BigInteger fib(int n) {
        BigInteger a = BigInteger.ZERO;
        BigInteger b = BigInteger.ONE;
        for (int i = 0; i < n; i++) {
            BigInteger next = a.add(b);
            a = b;
            b = next;
        }
        return a;
    }

    @Override
    public void close() {
        try {
            server.terminateMainloop();
        } catch (RuntimeException ignored) {
            // closing anyway
        }
        for (Connection connection : new Connection[] { clientConnection, serverConnection }) {
            try {
                connection.close(5_000);
            } catch (IOException | RuntimeException ignored) {
                // closing anyway
            }
        }
    }
}

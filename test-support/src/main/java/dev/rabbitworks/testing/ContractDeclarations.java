package dev.rabbitworks.testing;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;

/**
 * What broker-client's MessagingContract declares, recorded instead of sent: its declare methods are run on a
 * channel that only writes the calls down. Tests compare the broker's view with these, so a change of the contract
 * is checked without a second copy of its arguments.
 */
public final class ContractDeclarations {

    public sealed interface Declaration {
    }

    public record Exchange(String name, String type, boolean durable, boolean autoDelete, Map<String, Object> arguments)
            implements Declaration {
    }

    public record Queue(String name, boolean durable, boolean exclusive, boolean autoDelete, Map<String, Object> arguments)
            implements Declaration {
        /** The type the broker reports: x-queue-type, else classic. */
        public String type() {
            return String.valueOf(arguments.getOrDefault("x-queue-type", "classic"));
        }
    }

    public record Binding(String queue, String exchange, String routingKey) implements Declaration {
    }

    @FunctionalInterface
    public interface Declarer {
        void declareOn(Channel channel) throws Exception;
    }

    private ContractDeclarations() {
    }

    /** The declarations {@code declarer} makes, in order. */
    public static List<Declaration> of(Declarer declarer) {
        List<Declaration> recorded = new ArrayList<>();
        Channel recorder = (Channel) Proxy.newProxyInstance(Channel.class.getClassLoader(),
                new Class<?>[] { Channel.class }, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "exchangeDeclare" -> recorded.add(new Exchange((String) args[0], type(args[1]),
                                flag(args, 2), flag(args, 3), arguments(args[args.length - 1])));
                        case "queueDeclare" -> recorded.add(new Queue((String) args[0], (Boolean) args[1],
                                (Boolean) args[2], (Boolean) args[3], arguments(args[4])));
                        case "queueBind" -> recorded.add(new Binding((String) args[0], (String) args[1],
                                (String) args[2]));
                        default -> throw new UnsupportedOperationException("not a declaration: " + method);
                    }
                    return null;
                });
        try {
            declarer.declareOn(recorder);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return recorded;
    }

    /** Only the declarations of one kind. */
    public static <T extends Declaration> List<T> only(Class<T> kind, List<Declaration> declarations) {
        return declarations.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    private static boolean flag(Object[] args, int index) {
        return args.length > index && args[index] instanceof Boolean flag && flag;
    }

    private static String type(Object type) {
        return type instanceof BuiltinExchangeType builtin ? builtin.getType() : (String) type;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> arguments(Object arguments) {
        return arguments instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }
}

package dev.rabbitworks.rpc.messaging;

import java.util.Map;
import java.util.Set;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The service with the {@code hold} procedure and a prefetch other than the default (6, not 10). */
public class ConcurrencyProfile implements QuarkusTestProfile {

    static final int PREFETCH = 6;

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(HoldingProcedureCatalog.class);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("rpc.prefetch", Integer.toString(PREFETCH));
    }
}

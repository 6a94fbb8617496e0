package dev.rabbitworks.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import com.fasterxml.jackson.databind.JsonNode;

/** The image configuration Jib wrote for each service, as Podman reports it. */
@ExtendWith(ContainerTestsSwitch.class)
class ServiceImagesTest {

    static final List<String> SERVICES = ServiceImage.SERVICES;

    /** The UBI OpenJDK runtime images (the default base) declare these; Jib keeps a base image's ports. */
    static final Set<String> UBI_OPENJDK_PORTS = Set.of("8080/tcp", "8443/tcp");

    /**
     * The image declares the service's HTTP port and nothing else of its own. On the default UBI OpenJDK base the
     * base's 8080 and 8443 stay listed too (Jib cannot drop them); the offline base of .ci/ declares none.
     */
    @ParameterizedTest
    @FieldSource("SERVICES")
    void theImageExposesOnlyTheHttpPort(String service) {
        ServiceImage image = ServiceImage.of(service);
        JsonNode config = config(image);
        Set<String> exposed = new TreeSet<>();
        config.path("ExposedPorts").fieldNames().forEachRemaining(exposed::add);
        Set<String> expected = new TreeSet<>(Set.of(image.httpPort() + "/tcp"));
        boolean ubiOpenJdkBase = StreamSupport.stream(config.path("Env").spliterator(), false)
                .anyMatch(env -> env.asText().startsWith("JBOSS_IMAGE_NAME=ubi"));
        if (ubiOpenJdkBase) {
            expected.addAll(UBI_OPENJDK_PORTS);
        }
        assertEquals(expected, exposed);
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void theImageRunsAsTheNonRootUserTheDeploymentsExpect(String service) {
        ServiceImage image = ServiceImage.of(service);
        assertEquals(image.user(), config(image).path("User").asText());
        assertNotEquals("0", image.user());
        assertEquals("185", image.user(), "deploy/3*-*.yaml run the services as runAsUser 185");
    }

    /** No broker setting is baked into the image: the environment gives them all. */
    @ParameterizedTest
    @FieldSource("SERVICES")
    void theImageCarriesNoBrokerOrApplicationSettings(String service) {
        List<String> baked = new ArrayList<>();
        config(ServiceImage.of(service)).path("Env").forEach(env -> {
            String name = env.asText().split("=", 2)[0];
            if (name.startsWith("RABBITMQ_") || name.startsWith("QUARKUS_") || name.startsWith("TOPOLOGY_")
                    || name.startsWith("MP_MESSAGING_")) {
                baked.add(env.asText());
            }
        });
        assertEquals(List.of(), baked);
    }

    /** Fails (the switch is on) with what to run when Podman or an image is missing. */
    static void requireImages(List<ServiceImage> images) {
        if (!Podman.available()) {
            throw new IllegalStateException("podman does not answer: run .ci/container-images first");
        }
        List<String> missing = new ArrayList<>();
        images.stream().map(ServiceImage::image).filter(i -> !Podman.imageExists(i)).forEach(missing::add);
        if (!Podman.imageExists(SmokeStack.BROKER_IMAGE)) {
            missing.add(SmokeStack.BROKER_IMAGE);
        }
        assertTrue(missing.isEmpty(), "missing images " + missing + ": run .ci/container-images first");
    }

    private static JsonNode config(ServiceImage image) {
        requireImages(List.of(image));
        String json = Podman.run("image", "inspect", "--format", "{{json .Config}}", image.image()).orFail();
        return Http.parse(json);
    }
}

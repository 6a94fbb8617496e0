package dev.rabbitworks.rpc;

import dev.rabbitworks.testing.ContainerBroker;
import io.quarkus.test.common.QuarkusTestResource;

/** A broker container for the tests when none is given and a container engine answers (see ContainerBroker). */
@QuarkusTestResource(ContainerBroker.class)
public class DevServicesBroker {
}

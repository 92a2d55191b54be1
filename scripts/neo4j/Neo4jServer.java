import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * An in-process Neo4j 5.26 Community for tests and local development: Bolt on loopback, auth off,
 * APOC and GDS procedures allowed. Usage: java -cp 'lib/*' Neo4jServer.java PORT DATA_DIR
 * Prints "NEO4J READY bolt://127.0.0.1:PORT" when it accepts connections; stops on SIGTERM/SIGINT.
 */
public class Neo4jServer {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args.length > 0 ? args[0] : "7687");
        Path dataDir = Path.of(args.length > 1 ? args[1] : "neo4j-data").toAbsolutePath();
        Files.createDirectories(dataDir);
        Neo4j neo4j = Neo4jBuilders.newInProcessBuilder(dataDir)
                .withDisabledServer()
                .withConfig(HttpConnector.enabled, false)
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .withConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("apoc.*", "gds.*"))
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            neo4j.close();
            stopped.countDown();
        }));
        System.out.println("NEO4J READY " + neo4j.boltURI());
        System.out.flush();
        stopped.await();
    }
}

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Neo4j 5.26 Community in-process (from org.neo4j.test:neo4j-harness's dependencies) for tests and local
 * development: Bolt on 127.0.0.1, auth off, data kept in DATA_DIR across restarts, APOC core and GDS procedures
 * loaded from PLUGIN_DIR. Usage: java -cp 'lib/*' Neo4jServer.java PORT DATA_DIR PLUGIN_DIR
 * Prints "NEO4J READY bolt://127.0.0.1:PORT" when it accepts connections; stops cleanly on SIGTERM/SIGINT.
 */
public class Neo4jServer {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args.length > 0 ? args[0] : "7687");
        Path home = Path.of(args.length > 1 ? args[1] : "neo4j-data").toAbsolutePath();
        Path plugins = Path.of(args.length > 2 ? args[2] : "plugins").toAbsolutePath();
        Files.createDirectories(home);
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.plugin_dir, plugins)
                .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("apoc.*", "gds.*"))
                .build();
        dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME); // fails fast if the store cannot start
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            stopped.countDown();
        }));
        System.out.println("NEO4J READY bolt://127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }
}

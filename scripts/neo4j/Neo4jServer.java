import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.Config;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilderImplementation;
import org.neo4j.gds.applications.operations.FeatureTogglesRepository;
import org.neo4j.gds.core.model.OpenModelCatalog;
import org.neo4j.gds.core.write.NativeExportBuildersProvider;
import org.neo4j.gds.metrics.Metrics;
import org.neo4j.gds.procedures.integration.DefaultExportLocation;
import org.neo4j.gds.procedures.integration.LogAccessor;
import org.neo4j.gds.procedures.integration.OpenGraphDataScienceExtensionBuilder;
import org.neo4j.kernel.api.procedure.GlobalProcedures;
import org.neo4j.kernel.extension.ExtensionFactory;
import org.neo4j.kernel.extension.context.ExtensionContext;
import org.neo4j.kernel.lifecycle.Lifecycle;
import org.neo4j.logging.internal.LogService;

/**
 * Neo4j 5.26 Community in-process (from org.neo4j.test:neo4j-harness's dependencies) for tests and local
 * development: Bolt on 127.0.0.1, auth off, data kept in DATA_DIR across restarts, APOC core and the open-source
 * GDS procedures loaded from PLUGIN_DIR. Usage: java -cp 'lib/*' Neo4jServer.java PORT DATA_DIR PLUGIN_DIR
 * Prints "NEO4J READY bolt://127.0.0.1:PORT" when it accepts connections; stops cleanly on SIGTERM/SIGINT.
 */
public class Neo4jServer {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args.length > 0 ? args[0] : "7687");
        Path home = Path.of(args.length > 1 ? args[1] : "neo4j-data").toAbsolutePath();
        Path plugins = Path.of(args.length > 2 ? args[2] : "plugins").toAbsolutePath();
        Files.createDirectories(home);
        DatabaseManagementService dbms = new BuilderWithGds(home)
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

    /** The community DBMS builder plus the OpenGDS extension (Maven Central has GDS's modules, not its plugin jar). */
    static final class BuilderWithGds extends DatabaseManagementServiceBuilderImplementation {
        BuilderWithGds(Path home) {
            super(home);
            extensions.add(new OpenGdsExtension());
        }
    }

    /**
     * Registers the GraphDataScienceProcedures component that every gds.* procedure injects, with the open edition's
     * choices: native writes only, no metrics, in-memory model catalog, models never stored on disk.
     */
    public static final class OpenGdsExtension extends ExtensionFactory<OpenGdsExtension.Dependencies> {
        public interface Dependencies {
            Config config();

            GlobalProcedures globalProcedures();

            LogService logService();
        }

        OpenGdsExtension() {
            super("orc_ai.gds.open");
        }

        @Override
        public Lifecycle newInstance(ExtensionContext context, Dependencies deps) {
            var log = new LogAccessor().getLog(deps.logService(), getClass());
            return OpenGraphDataScienceExtensionBuilder.create(
                    log,
                    deps.globalProcedures(),
                    deps.config(),
                    (database, configuration) -> new NativeExportBuildersProvider(),
                    new DefaultExportLocation(log, deps.config()),
                    new FeatureTogglesRepository(),
                    Metrics.DISABLED,
                    new OpenModelCatalog(),
                    model -> {
                        throw new UnsupportedOperationException("storing models needs GDS Enterprise");
                    },
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty())
                    .getLeft()
                    .build();
        }
    }
}

package org.appmetrica.loader.standalone.console;

import org.appmetrica.loader.admin.AdminService;
import org.appmetrica.loader.admin.ConsoleApplication;

import java.util.Set;

/**
 * The WAR's admin application with what only the standalone console needs: its own login (no container here), the
 * Host check and the page redirect, the body limit. The routes are the WAR's.
 */
final class StandaloneApplication extends ConsoleApplication {

    private final AdminService service;
    private final Set<Object> singletons;

    StandaloneApplication(AdminService service, Logins logins, FrontDoor frontDoor) {
        this.service = service;
        this.singletons = Set.of(frontDoor, new Authentication(logins), new BodyLimit(), new LoginResource(logins));
    }

    @Override
    public AdminService adminService() {
        return service;
    }

    @Override
    public Set<Object> getSingletons() {
        return singletons;
    }
}

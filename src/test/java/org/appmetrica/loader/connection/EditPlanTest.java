package org.appmetrica.loader.connection;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EditPlanTest {

    private static final Connection OLD = Connections.oneTime("shop", "2024-03-10");

    private static List<String> kinds(Connection edited) {
        return EditPlan.of(OLD, edited).actions().stream().map(EditPlan.Action::kind).toList();
    }

    private static Connection edit(String from, String to) {
        return Connection.fromJson(OLD.toJson().replace(from, to)).validated();
    }

    @Test
    void anEarlierLoadFromReloadsEverything() {
        assertEquals(List.of("full-reload"), kinds(edit("2024-03-10", "2024-03-01")));
    }

    @Test
    void aLaterLoadFromAlsoDropsTheEarlierDays() {
        assertEquals(List.of("full-reload", "drop-days-before"), kinds(edit("2024-03-10", "2024-03-20")));
    }

    @Test
    void oneTimeToRegularReloadsEverything() {
        assertEquals(List.of("full-reload"), kinds(edit("\"one-time\"", "\"regular\"")));
    }

    @Test
    void regularToOneTimeOnlyStopsTheSchedule() {
        Connection regular = edit("\"one-time\"", "\"regular\"");
        assertEquals(List.of("schedule-only"), EditPlan.of(regular, OLD).actions().stream().map(EditPlan.Action::kind).toList());
    }

    @Test
    void anAddedApplicationOrSourceLoadsFromLoadFrom() {
        assertEquals(List.of("load-new"), kinds(edit("[1111,2222]", "[1111,2222,3333]")));
        List<EditPlan.Action> added = EditPlan.of(OLD, edit("\"events\":{}", "\"events\":{},\"push_tokens\":{}")).actions();
        assertEquals("load-new", added.get(0).kind());
        assertEquals("added source(s) push_tokens: loaded from 2024-03-10 on the next run", added.get(0).text());
    }

    @Test
    void aRemovedApplicationOffersToDropItsData() {
        assertEquals(List.of("offer-drop"), kinds(edit("[1111,2222]", "[1111]")));
        assertEquals(List.of("load-new", "offer-drop"), kinds(edit("[1111,2222]", "[1111,3333]")));
    }

    @Test
    void aChangedTargetStartsAFreshLoadThere() {
        assertEquals(List.of("fresh-target"), kinds(edit("\"database\":\"shop\"", "\"database\":\"shop2\"")));
        assertEquals(List.of("nothing"), kinds(edit("\"user\":\"default\"", "\"user\":\"loader\"")), "a new user is the same target");
    }

    @Test
    void changedFieldsReloadEverything() {
        assertEquals(List.of("full-reload"), kinds(edit("\"application_id\",\"install_datetime\"", "\"application_id\"")));
    }

    @Test
    void scheduleOnlyChangesJustReschedule() {
        Connection regular = edit("\"one-time\"", "\"regular\"");
        Connection later = Connection.fromJson(regular.toJson().replace("\"03:00\"", "\"05:30\"")).validated();
        assertEquals(List.of("schedule-only"), EditPlan.of(regular, later).actions().stream().map(EditPlan.Action::kind).toList());
        assertEquals(List.of("nothing"), kinds(OLD));
    }
}

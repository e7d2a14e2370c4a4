package io.teamsconnector.experts;

import io.teamsconnector.domain.ConnectorStatus;
import io.teamsconnector.domain.DirectoryRules;
import io.teamsconnector.experts.ExpertLookupResult.UnavailableReason;
import io.teamsconnector.graph.GraphGateway.DirectoryUser;
import io.teamsconnector.store.DirectoryRepository.DirectoryEntry;
import io.teamsconnector.store.DirectoryRepository.ExpertSearch;
import io.teamsconnector.store.DirectoryRepository.Hit;
import io.teamsconnector.sync.DirectorySync;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The directory's rules without a database: E.164, folding, experts, gating, ranking, delta merges. */
class DirectoryRulesTest {

    @Test
    void phonesAreE164OnceSpacesDashesAndBracketsAreRemoved() {
        assertEquals(Optional.of("+442079460018"), DirectoryRules.e164("+44 20 7946 0018"));
        assertEquals(Optional.of("+33123456789"), DirectoryRules.e164("+33 (1) 23-45-67-89"));
        assertEquals(Optional.of("+12345678"), DirectoryRules.e164("+1234 5678"), "8 digits");
        assertEquals(Optional.of("+123456789012345"), DirectoryRules.e164("+123456789012345"), "15 digits");
        assertEquals(Optional.empty(), DirectoryRules.e164("+1234567"), "7 digits");
        assertEquals(Optional.empty(), DirectoryRules.e164("+1234567890123456"), "16 digits");
        assertEquals(Optional.empty(), DirectoryRules.e164("+0441234567"), "first digit 0");
        assertEquals(Optional.empty(), DirectoryRules.e164("020 7946 0018"), "no +");
        assertEquals(Optional.empty(), DirectoryRules.e164("+44 20 7946 0018 ext. 12"));
        assertEquals(Optional.empty(), DirectoryRules.e164(null));
        assertEquals(List.of("+14155550100", "+14155550101"), DirectoryRules.e164Phones(
                List.of("0800 123", "+1 415 555 0100", "+1-415-555-0100", "+1 (415) 555 0101")));
    }

    @Test
    void aLookupSearchesByPhoneByPrefixOrByFiltersAlone() {
        assertEquals(new ExpertSearch.ByPhone("+14155550100", "sales", null, 20),
                ExpertLookupService.search(query("+1 (415) 555-0100", "Sales", null)));
        assertEquals(new ExpertSearch.ByPrefix("jose", null, "engineer", 20),
                ExpertLookupService.search(query("  José ", null, "ENGINEER")));
        assertEquals(new ExpertSearch.ByFilters("sales", null, 20), ExpertLookupService.search(query(null, "Sales", null)));
        assertEquals(null, ExpertLookupService.search(query("\u0301", null, null)), "only a combining mark: nothing to match");
    }

    private static ExpertQuery query(String text, String department, String jobTitle) {
        return ExpertQuery.from(new ExpertLookupRequest("org-1", text, department, jobTitle, null, null));
    }

    @Test
    void expertsAreEnabledUsersWithTitleDepartmentAndAnE164Phone() {
        assertTrue(DirectoryRules.isExpert(true, "Analyst", "Sales", List.of("+14155550100")));
        assertTrue(DirectoryRules.isExpert(null, "Analyst", "Sales", List.of("+14155550100")), "not known disabled");
        assertFalse(DirectoryRules.isExpert(false, "Analyst", "Sales", List.of("+14155550100")));
        assertFalse(DirectoryRules.isExpert(true, " ", "Sales", List.of("+14155550100")));
        assertFalse(DirectoryRules.isExpert(true, "Analyst", null, List.of("+14155550100")));
        assertFalse(DirectoryRules.isExpert(true, "Analyst", "Sales", List.of("555-1234")));
        assertFalse(DirectoryRules.isExpert(true, "Analyst", "Sales", List.of()));
    }

    @Test
    void foldingIgnoresCaseAndAccents() {
        assertEquals("elodie brule", DirectoryRules.fold(" Élodie BRÛLÉ "));
        assertEquals("ingenieure", DirectoryRules.fold("Ingénieure"));
        assertEquals("søren", DirectoryRules.fold("Søren"), "a letter of its own stays");
    }

    @Test
    void onlyAFullNumberIsAPhoneQuery() {
        assertEquals(Optional.of("+442079460018"), DirectoryRules.phoneQuery("+44 20 7946 0018"));
        assertEquals(Optional.of("+442079460018"), DirectoryRules.phoneQuery("442079460018"));
        assertEquals(Optional.empty(), DirectoryRules.phoneQuery("+44 20"));
        assertEquals(Optional.empty(), DirectoryRules.phoneQuery("ada 44"));
    }

    @Test
    void lookupIsGatedInThisOrder() {
        assertEquals(Optional.of(UnavailableReason.NO_CONNECTOR), ExpertRules.unavailable(null, true, false, null));
        assertEquals(Optional.of(UnavailableReason.CONNECTOR_INACTIVE),
                ExpertRules.unavailable(ConnectorStatus.PENDING_CONSENT, true, false, null));
        assertEquals(Optional.of(UnavailableReason.USER_DETAILS_DISABLED),
                ExpertRules.unavailable(ConnectorStatus.ACTIVE, false, true, true));
        assertEquals(Optional.of(UnavailableReason.PROFILE_DISABLED),
                ExpertRules.unavailable(ConnectorStatus.ACTIVE, true, true, false));
        assertEquals(Optional.of(UnavailableReason.PROFILE_DISABLED),
                ExpertRules.unavailable(ConnectorStatus.ACTIVE, true, true, null), "an unknown agent");
        assertEquals(Optional.empty(), ExpertRules.unavailable(ConnectorStatus.ACTIVE, true, true, true));
        assertEquals(Optional.empty(), ExpertRules.unavailable(ConnectorStatus.ACTIVE, true, false, null));
    }

    @Test
    void displayNamePrefixesComeFirstAndEachExpertOnce() {
        Hit zoeBySurname = new Hit("zoe", "Zoe Adams", null, null, null, "zoe adams", 1);
        Hit adam = new Hit("adam", "Adam Smith", null, null, null, "adam smith", 0);
        Hit adaByGiven = new Hit("ada", "Ada Lovelace", null, null, null, "ada lovelace", 1);
        Hit ada = new Hit("ada", "Ada Lovelace", null, null, null, "ada lovelace", 0);

        assertEquals(List.of("ada", "adam", "zoe"),
                ExpertRanking.rank(List.of(zoeBySurname, adam, adaByGiven, ada), 10).stream().map(Hit::userId).toList());
        assertEquals(List.of("ada"), ExpertRanking.rank(List.of(zoeBySurname, adam, ada), 1).stream()
                .map(Hit::userId).toList());
    }

    @Test
    void aDeltaRoundKeepsWhatItDidNotSend() {
        DirectoryEntry stored = new DirectoryEntry("u", "Ada Lovelace", "Ada", "Lovelace", "Analyst", "Mathematics",
                "ada@contoso.example", List.of("+442079460018"), true);

        DirectoryEntry retitled = DirectorySync.merged(stored,
                new DirectoryUser("u", null, null, null, "Chief Analyst", null, null, null, null));
        DirectoryEntry phoneless = DirectorySync.merged(stored,
                new DirectoryUser("u", null, null, null, null, null, List.of(), null, null));

        assertEquals("Chief Analyst", retitled.jobTitle());
        assertEquals(List.of("+442079460018"), retitled.businessPhones());
        assertEquals("Mathematics", retitled.department());
        assertEquals(List.of(), phoneless.businessPhones(), "an empty list is sent: the phones are gone");
        assertFalse(DirectorySync.searchFields(phoneless).searchable());
        assertTrue(DirectorySync.searchFields(retitled).searchable());
        assertEquals("+442079460018", DirectorySync.searchFields(retitled).businessPhone());
    }
}

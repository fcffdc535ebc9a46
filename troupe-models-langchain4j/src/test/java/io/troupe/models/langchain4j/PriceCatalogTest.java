package io.troupe.models.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PriceCatalogTest {
    @Test
    void datedSnapshot_takesThePriceOfItsFamily_theLongestMatchingName() {
        assertThat(PriceCatalog.priceOf("gpt-4o-mini-2024-07-18")).contains(ModelPrice.of("0.15", "0.60"));
        assertThat(PriceCatalog.priceOf("gpt-4o-2024-08-06")).contains(ModelPrice.of("2.50", "10.00"));
        assertThat(PriceCatalog.priceOf("claude-sonnet-4-20250514")).contains(ModelPrice.of("3.00", "15.00"));
    }

    @Test
    void unlistedModel_hasNoPrice_andAPrefixThatIsNotAFamilyDoesNotMatch() {
        assertThat(PriceCatalog.priceOf("llama3.2")).isEmpty();
        assertThat(PriceCatalog.priceOf("gpt-4oz")).isEmpty();
        assertThat(PriceCatalog.tableFor("llama3.2")).isEqualTo(PriceTable.NONE);
    }

    @Test
    void tableFor_pricesAKnownModelsUsage() {
        assertThat(PriceCatalog.tableFor("gpt-4o-mini")
                        .usage("gpt-4o-mini", 1_000_000, 500_000)
                        .cost())
                .isEqualByComparingTo(new BigDecimal("0.45"));
    }
}

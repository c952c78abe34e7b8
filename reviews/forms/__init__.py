"""Forms of the review pages, by aggregate (`review`, `panel`, `tor`, `reports`, `process`, `outcome`,
`plans`, `alternative`). They check the input; the services in `reviews.services` enforce the rules and may
still refuse (their errors go back on the form through `add_service_error`)."""

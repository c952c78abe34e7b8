import { initAll } from '../build/govuk/govuk-frontend.min.js'

initAll()

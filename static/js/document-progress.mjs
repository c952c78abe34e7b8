// The pages that wait for the documents worker (a PDF version, a spreadsheet export): ask the server every
// few seconds how far the job got. A new step updates the tag and the progress bar in place, inside the
// page's role="status" region, so screen readers hear it; a finished job (ready or failed) reloads the
// page, which then offers the download or says what went wrong. Without JavaScript the page says to
// refresh it.
const STEPS = { queued: 1, rendering: 2, ready: 3 }
const region = document.getElementById('document-status')
const url = region && region.dataset.statusUrl
if (url) {
  let current = region.dataset.status
  let delay = 1500
  const show = (data) => {
    const label = region.querySelector('[data-progress-label]')
    const bar = region.querySelector('[data-progress-bar]')
    if (label) label.textContent = data.label
    if (bar && STEPS[data.status]) {
      bar.value = STEPS[data.status]
      bar.textContent = `Step ${STEPS[data.status]} of 3`
    }
  }
  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      if (response.ok) {
        const data = await response.json()
        if (data.status !== current) {
          if (!(data.status in STEPS) || data.status === 'ready') {
            window.location.reload()
            return
          }
          current = data.status
          show(data)
        }
      }
    } catch (error) {
      // Network trouble: keep trying, more slowly.
    }
    delay = Math.min(delay * 1.5, 10000)
    window.setTimeout(poll, delay)
  }
  window.setTimeout(poll, delay)
}

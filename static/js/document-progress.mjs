// The document progress page: ask the server every few seconds whether the version is ready, and reload
// the page (which then offers the download) when its status changes. Without JavaScript the page says
// to refresh it.
const region = document.getElementById('document-status')
const url = region && region.dataset.statusUrl
if (url) {
  const initial = region.dataset.status
  let delay = 1500
  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      if (response.ok) {
        const data = await response.json()
        if (data.status !== initial) {
          window.location.reload()
          return
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

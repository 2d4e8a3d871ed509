// chatcorpus Arena client. Untrusted text (prompts, answers, model names) is only ever set with
// textContent, never innerHTML, so nothing from a conversation can become markup or script.
(function () {
  'use strict';
  const page = document.body.dataset.page;
  const $ = (id) => document.getElementById(id);
  const status = (text) => { const s = $('status'); if (s) { s.textContent = text || ''; } };

  function addMessage(box, role, text) {
    const div = document.createElement('div');
    div.className = 'msg ' + role;
    div.textContent = text;
    box.appendChild(div);
    return div;
  }

  async function postJson(url, body) {
    const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body), credentials: 'same-origin' });
    const data = await r.json().catch(() => ({}));
    if (!r.ok) { throw new Error(data.error || ('HTTP ' + r.status)); }
    return data;
  }

  // Reads a server-sent-events response and calls onEvent with each parsed data object.
  async function streamJson(url, body, onEvent) {
    const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body), credentials: 'same-origin' });
    if (!r.ok || !(r.headers.get('Content-Type') || '').startsWith('text/event-stream')) {
      const data = await r.json().catch(() => ({}));
      throw new Error(data.error || ('HTTP ' + r.status));
    }
    const reader = r.body.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) { break; }
      buf += decoder.decode(value, { stream: true });
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const chunk = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (chunk.startsWith('data: ')) { onEvent(JSON.parse(chunk.slice(6))); }
      }
    }
  }

  function setBusy(busy) {
    document.querySelectorAll('button, textarea, select').forEach((el) => { el.disabled = busy; });
  }

  if (page === 'chat') {
    const box = $('messages');
    $('send-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const prompt = $('prompt').value;
      if (!prompt.trim()) { return; }
      addMessage(box, 'user', prompt);
      const answer = addMessage(box, 'assistant', '');
      $('prompt').value = '';
      setBusy(true); status('');
      try {
        await streamJson('/api/chat', { model: $('model').value, prompt: prompt }, (e) => {
          if (e.delta) { answer.textContent += e.delta; }
          if (e.error) { status(e.error); }
        });
      } catch (err) { status(err.message); }
      setBusy(false);
    });
    for (const type of ['upvote', 'downvote']) {
      $(type).addEventListener('click', async () => {
        try { await postJson('/api/chat/vote', { type: type }); status('Thanks for your vote.'); } catch (err) { status(err.message); }
      });
    }
    async function newChat() {
      try { await postJson('/api/chat/new', {}); box.textContent = ''; status(''); } catch (err) { status(err.message); }
    }
    $('clear').addEventListener('click', newChat);
    $('model').addEventListener('change', newChat);
  }

  if (page === 'battle' || page === 'side-by-side') {
    const anony = page === 'battle';
    const boxes = [$('messages-a'), $('messages-b')];
    let started = false;
    async function newRound() {
      boxes.forEach((b) => { b.textContent = ''; });
      $('name-a').textContent = 'Model A';
      $('name-b').textContent = 'Model B';
      const body = { anony: anony };
      if (!anony) { body.modelA = $('model-a').value; body.modelB = $('model-b').value; }
      await postJson('/api/battle/new', body);
      started = true;
      status('');
    }
    $('send-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const prompt = $('prompt').value;
      if (!prompt.trim()) { return; }
      setBusy(true); status('');
      try {
        if (!started) { await newRound(); }
        const answers = boxes.map((b) => { addMessage(b, 'user', prompt); return addMessage(b, 'assistant', ''); });
        $('prompt').value = '';
        await streamJson('/api/battle/send', { prompt: prompt }, (e) => {
          if (e.delta !== undefined && e.side !== undefined) { answers[e.side].textContent += e.delta; }
          if (e.error) { status(e.error); }
        });
      } catch (err) { status(err.message); }
      setBusy(false);
    });
    for (const type of ['leftvote', 'rightvote', 'tievote', 'bothbad_vote']) {
      $(type).addEventListener('click', async () => {
        try {
          const r = await postJson('/api/battle/vote', { type: type });
          $('name-a').textContent = 'Model A: ' + r.models[0];
          $('name-b').textContent = 'Model B: ' + r.models[1];
          status('Thanks for your vote. Start a new round to continue.');
          started = false;
        } catch (err) { status(err.message); }
      });
    }
    $('new-round').addEventListener('click', () => { newRound().catch((err) => status(err.message)); });
    if (!anony) {
      ['model-a', 'model-b'].forEach((id) => $(id).addEventListener('change', () => { started = false; }));
    }
  }
})();

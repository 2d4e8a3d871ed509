// chatcorpus Arena client. Untrusted text (prompts, answers, model names) is set with textContent
// while it streams; a finished answer is replaced by the server's Markdown rendering
// (/api/render: CommonMark with raw HTML escaped, then cleaned against an allow-list), the only
// HTML this script ever inserts.
(function () {
  'use strict';
  const page = document.body.dataset.page;
  const errorText = document.body.dataset.errorText || '\u0000';
  const $ = (id) => document.getElementById(id);

  // kind: 'ok' (thanks, copied), 'note' (a vote that does not count), 'error' (something failed).
  function status(text, kind) {
    const s = $('status');
    if (s) { s.textContent = text || ''; s.className = text ? (kind || 'note') : ''; }
  }

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

  // A failed model shows the same neutral words on every side and in every mode: which model
  // failed, or why, would give an anonymous battle away.
  function showFailure(div) {
    div.classList.add('failed');
    div.textContent = 'This model could not answer (a server or network error). Press \u201cRegenerate\u201d to ask again.';
  }

  // Replaces a finished answer's plain text with its Markdown rendering; returns false for a failed answer.
  function finishAnswer(div, text) {
    if (text.includes(errorText)) { showFailure(div); return false; }
    postJson('/api/render', { text: text })
      .then((r) => { div.innerHTML = r.html; div.classList.add('md'); })
      .catch(() => { /* the plain text stays */ });
    return true;
  }

  // Enter sends, Shift+Enter starts a new line (and Enter while an IME composes a character does neither).
  function enterSends() {
    const form = $('send-form');
    $('prompt').addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
        ev.preventDefault();
        form.requestSubmit();
      }
    });
  }

  function share(url) {
    const done = () => status('Link copied: ' + url, 'ok');
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(done, () => status('Share this link: ' + url, 'ok'));
    } else {
      status('Share this link: ' + url, 'ok');
    }
  }

  const params = new URLSearchParams(window.location.search);
  function preselect(selectId, value) {
    const sel = $(selectId);
    if (sel && value && Array.from(sel.options).some((o) => o.value === value)) { sel.value = value; }
  }

  if (page === 'chat') {
    const box = $('messages');
    let busy = false;
    let answered = false; // the last answer came back whole
    let lastAnswer = null;
    preselect('model', params.get('model'));
    function updateButtons() {
      ['send', 'prompt', 'model', 'clear'].forEach((id) => { $(id).disabled = busy; });
      $('upvote').disabled = $('downvote').disabled = busy || !answered;
      $('regenerate').disabled = busy || lastAnswer === null;
    }
    async function ask(url, body, answer) {
      busy = true; updateButtons(); status('');
      let text = '';
      try {
        await streamJson(url, body, (e) => {
          if (e.delta) { text += e.delta; answer.textContent = text; }
          if (e.error) { status(e.error, 'error'); }
        });
        answered = finishAnswer(answer, text);
      } catch (err) { status(err.message, 'error'); answered = false; }
      busy = false; updateButtons();
    }
    $('send-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (busy) { return; }
      const prompt = $('prompt').value;
      if (!prompt.trim()) { return; }
      addMessage(box, 'user', prompt);
      lastAnswer = addMessage(box, 'assistant', '');
      $('prompt').value = '';
      await ask('/api/chat', { model: $('model').value, prompt: prompt }, lastAnswer);
    });
    $('regenerate').addEventListener('click', async () => {
      if (!lastAnswer) { return; }
      lastAnswer.className = 'msg assistant';
      lastAnswer.textContent = '';
      await ask('/api/chat/regenerate', {}, lastAnswer);
    });
    for (const type of ['upvote', 'downvote']) {
      $(type).addEventListener('click', async () => {
        try { await postJson('/api/chat/vote', { type: type }); status('Thanks for your vote.', 'ok'); } catch (err) { status(err.message, 'error'); }
      });
    }
    async function newChat() {
      try {
        await postJson('/api/chat/new', {});
        box.textContent = ''; status(''); answered = false; lastAnswer = null; updateButtons();
      } catch (err) { status(err.message, 'error'); }
    }
    $('clear').addEventListener('click', newChat);
    $('model').addEventListener('change', newChat);
    $('share').addEventListener('click', () => share(location.origin + '/chat?model=' + encodeURIComponent($('model').value)));
    enterSends();
    updateButtons();
  }

  if (page === 'battle' || page === 'side-by-side') {
    const anony = page === 'battle';
    const boxes = [$('messages-a'), $('messages-b')];
    const votes = ['leftvote', 'rightvote', 'tievote', 'bothbad_vote'];
    let started = false;
    let voted = false;
    let busy = false;
    let bothAnswered = false; // both sides of the last turn answered without failing
    let answers = null; // the two answer elements of the last turn
    if (!anony) { preselect('model-a', params.get('a')); preselect('model-b', params.get('b')); }

    function updateButtons() {
      ['send', 'prompt', 'new-round'].forEach((id) => { $(id).disabled = busy; });
      if (!anony) { ['model-a', 'model-b'].forEach((id) => { $(id).disabled = busy; }); }
      votes.forEach((id) => { $(id).disabled = busy || !started || voted || !bothAnswered; });
      $('regenerate').disabled = busy || !started || voted || answers === null;
    }
    async function newRound() {
      boxes.forEach((b) => { b.textContent = ''; });
      $('name-a').textContent = 'Model A';
      $('name-b').textContent = 'Model B';
      const body = { anony: anony };
      if (!anony) { body.modelA = $('model-a').value; body.modelB = $('model-b').value; }
      await postJson('/api/battle/new', body);
      started = true; voted = false; bothAnswered = false; answers = null;
      status('');
      updateButtons();
    }
    async function ask(url, body) {
      busy = true; updateButtons(); status('');
      const texts = ['', ''];
      try {
        await streamJson(url, body, (e) => {
          if (e.delta !== undefined && (e.side === 0 || e.side === 1)) {
            texts[e.side] += e.delta;
            answers[e.side].textContent = texts[e.side];
          }
          if (e.error) { status(e.error, 'error'); }
        });
        const ok = answers.map((div, side) => finishAnswer(div, texts[side]));
        bothAnswered = ok[0] && ok[1];
      } catch (err) { status(err.message, 'error'); bothAnswered = false; }
      busy = false; updateButtons();
    }
    $('send-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (busy) { return; }
      const prompt = $('prompt').value;
      if (!prompt.trim()) { return; }
      try {
        if (!started || voted) { await newRound(); }
      } catch (err) { status(err.message, 'error'); return; }
      answers = boxes.map((b) => { addMessage(b, 'user', prompt); return addMessage(b, 'assistant', ''); });
      $('prompt').value = '';
      await ask('/api/battle/send', { prompt: prompt });
    });
    $('regenerate').addEventListener('click', async () => {
      if (!answers) { return; }
      answers.forEach((div) => { div.className = 'msg assistant'; div.textContent = ''; });
      await ask('/api/battle/regenerate', {});
    });
    for (const type of votes) {
      $(type).addEventListener('click', async () => {
        try {
          const r = await postJson('/api/battle/vote', { type: type });
          voted = true;
          $('name-a').textContent = 'Model A: ' + r.models[0];
          $('name-b').textContent = 'Model B: ' + r.models[1];
          if (r.counted === false) {
            status((r.note || 'This vote is not counted.') + ' Start a new round to continue.', 'note');
          } else {
            status('Thanks for your vote. Start a new round to continue.', 'ok');
          }
        } catch (err) { status(err.message, 'error'); }
        updateButtons();
      });
    }
    $('new-round').addEventListener('click', () => { newRound().catch((err) => status(err.message, 'error')); });
    if (!anony) {
      ['model-a', 'model-b'].forEach((id) => $(id).addEventListener('change', () => { started = false; answers = null; updateButtons(); }));
    }
    $('share').addEventListener('click', () => share(anony ? location.origin + '/battle'
      : location.origin + '/side-by-side?a=' + encodeURIComponent($('model-a').value) + '&b=' + encodeURIComponent($('model-b').value)));
    enterSends();
    updateButtons();
  }
})();

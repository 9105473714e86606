// The chat room's client: one WebSocket to the room, messages rendered as text (never as HTML).
(function () {
  const section = document.querySelector('.chat');
  if (!section) return;
  const log = section.querySelector('.chat-log');
  const form = section.querySelector('.chat-form');
  const input = form.querySelector('input');
  const status = section.querySelector('.chat-status');
  const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
  let socket;
  let retry = 500;

  function line(text, kind) {
    const item = document.createElement('li');
    item.className = kind;
    item.textContent = text;
    log.appendChild(item);
    item.scrollIntoView({ block: 'end' });
  }

  function connect() {
    socket = new WebSocket(scheme + location.host + section.dataset.socketPath);
    socket.addEventListener('open', () => {
      status.textContent = 'Connected.';
      retry = 500;
    });
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(event.data);
      if (message.type === 'message') line(message.user + ': ' + message.text, 'message');
      else if (message.type === 'joined') line(message.user + ' joined', 'event');
      else if (message.type === 'left') line(message.user + ' left', 'event');
    });
    socket.addEventListener('close', (event) => {
      if (event.code === 4401) {
        status.textContent = 'Log in to chat.';
        return;
      }
      status.textContent = 'Disconnected; reconnecting…';
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 10000);
    });
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (socket.readyState === WebSocket.OPEN && input.value.trim() !== '') socket.send(input.value);
    input.value = '';
  });
  connect();
})();

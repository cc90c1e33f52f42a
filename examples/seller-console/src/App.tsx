import { useEffect, useRef, useState } from 'react';
import { type Lang, type OrderActor, type OrderActorOptions } from 'order-lifecycle';
import { t } from './i18n';
import { connectInspector, inspectorRunning } from './inspector';
import { OrderCard } from './OrderCard';
import { clearOrders, loadOrders, newOrderInput, startActor, startNewActor } from './store';

const LANG_KEY = 'seller-console/lang';
type Inspect = NonNullable<OrderActorOptions['inspect']>;

/** Re-renders every second so countdowns and explain() tooltips follow the clock. */
function useSecondTick(): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    const id = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(id);
  }, []);
}

/** The console: every stored order restored with restoreOrder and run as a live actor. */
export function App() {
  const [lang, setLang] = useState<Lang>(() => (localStorage.getItem(LANG_KEY) === 'zh-CN' ? 'zh-CN' : 'en'));
  const [inspect, setInspect] = useState<Inspect | null>(null);
  const [generation, setGeneration] = useState(0);
  const [actors, setActors] = useState<OrderActor[]>([]);
  const [errors, setErrors] = useState<string[]>([]);
  useSecondTick();
  const now = Date.now();

  useEffect(() => {
    document.documentElement.lang = lang;
    localStorage.setItem(LANG_KEY, lang);
  }, [lang]);

  useEffect(() => {
    let cancelled = false;
    void inspectorRunning().then((running) => {
      if (running && !cancelled) setInspect(() => connectInspector());
    });
    return () => {
      cancelled = true;
    };
  }, []);

  // Every change is saved as it happens, so (re)starting from storage loses nothing: on load, on "Reset demo", and
  // once the inspector is found (actors take their inspector when they start). The inspector keeps one entry per
  // order id however often its actor restarts.
  useEffect(() => {
    const loaded = loadOrders(Date.now());
    const started = loaded.snapshots.map((snapshot) => startActor(snapshot, inspect ? { inspect } : {}));
    setActors(started);
    setErrors(loaded.errors);
    return () => started.forEach((actor) => actor.stop());
  }, [inspect, generation]);
  // Orders added since: each runs its own actor (the others keep running), stopped with the ones above.
  const added = useRef<OrderActor[]>([]);
  useEffect(
    () => () => {
      added.current.forEach((actor) => actor.stop());
      added.current = [];
    },
    [inspect, generation],
  );

  const addOrder = () => {
    const at = Date.now();
    const orderId = `114-${String(Math.floor(at / 1000) % 10_000_000).padStart(7, '0')}-${String(at % 10_000_000).padStart(7, '0')}`;
    const actor = startNewActor(newOrderInput(at, orderId), inspect ? { inspect } : {});
    added.current.push(actor);
    setActors((list) => [...list, actor]);
  };
  const reset = () => {
    clearOrders();
    setGeneration((n) => n + 1);
  };

  return (
    <main>
      <header className="top">
        <div>
          <h1>{t(lang, 'title')}</h1>
          <p>{t(lang, 'subtitle')}</p>
        </div>
        <nav>
          <button type="button" onClick={addOrder}>
            {t(lang, 'newOrder')}
          </button>
          <button type="button" onClick={reset}>
            {t(lang, 'reset')}
          </button>
          <span className="langs" role="group" aria-label="Language / 语言">
            <button type="button" aria-pressed={lang === 'en'} onClick={() => setLang('en')}>
              English
            </button>
            <button type="button" aria-pressed={lang === 'zh-CN'} onClick={() => setLang('zh-CN')}>
              中文
            </button>
          </span>
        </nav>
      </header>
      {errors.length > 0 && (
        <div className="error" role="alert">
          <strong>{t(lang, 'restoreFailed')}</strong>
          <ul>
            {errors.map((error) => (
              <li key={error}>{error}</li>
            ))}
          </ul>
          <button type="button" onClick={() => setErrors([])}>
            {t(lang, 'dismiss')}
          </button>
        </div>
      )}
      {actors.length === 0 && <p>{t(lang, 'empty')}</p>}
      <section className="orders">
        {actors.map((actor) => (
          <OrderCard
            key={actor.getSnapshot().context.orderId}
            actor={actor}
            lang={lang}
            now={now}
            inspectorOn={inspect !== null}
          />
        ))}
      </section>
    </main>
  );
}

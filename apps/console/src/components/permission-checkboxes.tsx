/** A group of permission checkboxes (API tokens, custom roles). */
export function PermissionCheckboxes({
  legend,
  options,
  chosen,
  onChange,
  empty,
}: {
  legend: string;
  options: readonly string[];
  chosen: string[];
  onChange: (chosen: string[]) => void;
  empty?: string;
}) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      {options.length === 0 && empty && <p className="muted">{empty}</p>}
      <div className="checks">
        {options.map((p) => (
          <label key={p} className="check">
            <input
              type="checkbox"
              checked={chosen.includes(p)}
              onChange={(e) => onChange(e.target.checked ? [...chosen, p] : chosen.filter((c) => c !== p))}
            />
            <code>{p}</code>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

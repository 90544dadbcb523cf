// Interim `npm start`: lists the destinations, their actions and presets.
import { destinations } from '@jlp/destinations'

for (const [key, def] of Object.entries(destinations)) {
  console.log(`${def.name} (${key})`)
  for (const [actionKey, action] of Object.entries(def.actions)) console.log(`  action  ${actionKey}: ${action.title}`)
  for (const preset of def.presets ?? []) console.log(`  preset  ${preset.name} → ${preset.partnerAction}`)
}

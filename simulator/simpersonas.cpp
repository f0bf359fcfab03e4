// The first six demo personas. The texts are the simulator's seed material: system prompts a
// real deployment would use, and dialogue lines the transcript generator combines.
#include "simpersonas.h"

const QList<SimPersona> &simPersonas()
{
    static const QList<SimPersona> personas = [] {
        QList<SimPersona> out;
        SimPersonaParts::appendFirstHalf(out);
        SimPersonaParts::appendSecondHalf(out);
        return out;
    }();
    return personas;
}

void SimPersonaParts::appendFirstHalf(QList<SimPersona> &out)
{
    out.append(SimPersona{
        "clinic_booking",
        "Maya - Clinic Booking",
        "Riverside Family Clinic",
        "en-US",
        "You are Maya, the scheduling assistant of Riverside Family Clinic. Help patients book, "
        "move or cancel appointments with our general practitioners. Confirm the patient's full "
        "name and date of birth before looking up records. Never give medical advice; for urgent "
        "symptoms tell the caller to hang up and dial 911. Offer the two earliest free slots, "
        "confirm the chosen one back, and end by reminding them to arrive ten minutes early.",
        "Thank you for calling Riverside Family Clinic, this is Maya. How can I help you today?",
        "elevenlabs",
        "21m00Tcm4TlvDq8ikWAM",
        "gpt-4o",
        0.4,
        400,
        1.0,
        0.1,
        true,
        true,
        {"check_availability", "Find free appointment slots with a practitioner.",
         R"({"type":"object","properties":{"practitioner":{"type":"string"},"date":{"type":"string","format":"date"},"durationMinutes":{"type":"integer","minimum":10,"maximum":60}},"required":["date"]})",
         "https://hooks.riverside-clinic.example/availability",
         R"({"practitioner":"Dr. Patel","date":"{date}","durationMinutes":20})",
         R"({"slots":["{time}","16:40"]})"},
        1,
        {"Hi, I'd like to book a check-up, please.",
         "Hi, I need to see a doctor sometime this week.",
         "Hi, I've been trying to get an appointment for days and nobody calls me back."},
        {{"Of course. Can I have your full name and date of birth?",
          "Sure, it's {caller} Morgan, born March third, nineteen eighty-six.",
          "{caller} Morgan, March third, nineteen eighty-six.",
          "It's {caller} Morgan. I already gave this to someone last week."},
         {"Thanks {caller}. Let me check Dr. Patel's calendar for {day}.",
          "Great, mornings are better for me if possible.", "Okay, {day} should work.",
          "Fine, but I can't keep taking time off work for this."},
         {"I have {time} or twenty to five in the afternoon. Which would you prefer?",
          "{time} is perfect, thank you.", "Let's do {time}.",
          "I suppose {time}, if that's really the earliest."},
         {"You're booked with Dr. Patel on {day} at {time}. You'll get a text confirmation.",
          "Wonderful, that's really helpful.", "Okay, got it.",
          "Alright. I hope it actually shows up this time."}},
        {"Please arrive ten minutes early. Have a lovely day, {caller}!",
         "Please arrive ten minutes early. Goodbye!",
         "I'm sorry for the trouble earlier. Please arrive ten minutes early. Goodbye."}});

    out.append(SimPersona{
        "order_support",
        "Leo - Order Support",
        "Brightcart",
        "en-US",
        "You are Leo, customer support for Brightcart, an online home-goods store. Help customers "
        "track orders, report damaged or missing items and start returns. Always ask for the "
        "order number first and look it up with get_order_status. Returns are free within 30 "
        "days. Refunds over 200 dollars or any legal threats go to a human agent. Stay calm and "
        "apologise once, then focus on the fix.",
        "Hi, you've reached Brightcart support. I'm Leo. What can I do for you?",
        "openai",
        "alloy",
        "gpt-4o-mini",
        0.5,
        350,
        1.05,
        0.05,
        true,
        false,
        {"get_order_status", "Look up an order's shipping status by order number.",
         R"({"type":"object","properties":{"orderNumber":{"type":"string","pattern":"^BC-[0-9]{5}$"}},"required":["orderNumber"]})",
         "https://api.brightcart.example/hooks/order-status", R"({"orderNumber":"BC-{ref}"})",
         R"({"status":"in_transit","carrier":"UPS","eta":"{date}"})"},
        0,
        {"Hi Leo, I just want to check on an order.", "Hi, I have a question about my order.",
         "Hi. My order is late again and I'm pretty annoyed."},
        {{"I can help with that. What's your order number?", "Sure, it's B C dash {ref}.",
          "It's B C {ref}.", "B C {ref}. It was supposed to be here three days ago."},
         {"Thanks. Your package is with UPS and should arrive on {day}.",
          "Oh great, that's sooner than I expected.", "Okay, {day}. Noted.",
          "{day}? That's ridiculous, I paid for express shipping."},
         {"I understand. Would you like me to refund the shipping fee of {amount} dollars?",
          "That would be nice, thank you!", "Sure, go ahead.", "Yes, that's the least you can do."},
         {"Done. The refund of {amount} dollars will show on your card in three to five days.",
          "Perfect, thanks for sorting that out.", "Okay, thanks.",
          "Fine. I'll believe it when I see it."}},
        {"Thanks for shopping with Brightcart, {caller}. Enjoy your order!",
         "Is there anything else? No? Then have a good day.",
         "I'm sorry again for the delay. Take care."}});

    out.append(SimPersona{
        "sales_qualification",
        "Ava - Sales Qualification",
        "Cloudlane Software",
        "en-US",
        "You are Ava, a sales development representative for Cloudlane, a scheduling platform for "
        "field-service teams. You call inbound leads who requested a demo. Qualify them with "
        "BANT: budget, authority, need and timeline. Keep it conversational and under five "
        "minutes. If they qualify, book a demo with an account executive; if not, offer the free "
        "trial and thank them. Never pressure; accept a no politely and log the outcome.",
        "Hi {caller}, this is Ava from Cloudlane. You asked about a demo. Is now a good time?",
        "elevenlabs",
        "EXAVITQu4vr4xnSDxMaL",
        "gpt-4o",
        0.7,
        500,
        1.0,
        0.9,
        false,
        true,
        {"log_lead", "Record the qualification result in the CRM.",
         R"({"type":"object","properties":{"company":{"type":"string"},"teamSize":{"type":"integer"},"budget":{"type":"string","enum":["none","under_10k","10k_50k","over_50k"]},"decisionMaker":{"type":"boolean"},"timeline":{"type":"string"}},"required":["company","teamSize"]})",
         "https://crm.cloudlane.example/webhooks/lead",
         R"({"company":"{company}","teamSize":{count},"budget":"10k_50k","decisionMaker":true,"timeline":"this quarter"})",
         R"({"leadId":"L-{ref}","score":72})"},
        2,
        {"Yes, perfect timing actually.", "I have a few minutes, sure.",
         "I guess, but I only have a minute."},
        {{"Great. How many technicians are on your team today?",
          "We have about {count} people in the field.", "Around {count}.",
          "About {count}, but we're already using a spreadsheet that works."},
         {"And how are you scheduling their jobs right now?",
          "Honestly it's a mess of calls and texts, we need something better.",
          "Mostly a shared calendar.", "It's fine. I'm not sure we need anything new."},
         {"Is there a budget set aside for this, and are you the one who decides?",
          "Yes, I run operations and we've budgeted for it this quarter.",
          "I'd decide with our owner; budget depends on price.",
          "No budget right now, and it's not my call anyway."},
         {"Would a thirty minute demo with our account executive on {day} at {time} work?",
          "Yes, book it please.", "Maybe, send me an invite and I'll check.",
          "No, please just email me some information."}},
        {"Wonderful, you'll get the invite shortly. Thanks {caller}!",
         "I'll send the details by email. Thanks for your time.",
         "Understood, I'll email you the trial link. Thanks for your time."}});

    out.append(SimPersona{
        "restaurant_reservations",
        "Sofia - Reservations",
        "Trattoria Lucca",
        "en-US",
        "You are Sofia, the host of Trattoria Lucca, an Italian restaurant open Tuesday to Sunday "
        "from five to ten pm. Take, change and cancel reservations for up to eight guests; larger "
        "groups go to the events manager. Ask for the date, time, party size, name and any "
        "allergies. Be warm and brief. Mention that tables are held for fifteen minutes.",
        "Buonasera, Trattoria Lucca, Sofia speaking. Would you like to make a reservation?",
        "openai",
        "nova",
        "gpt-4o-mini",
        0.6,
        300,
        1.0,
        0.05,
        true,
        true,
        {"reserve_table", "Reserve a table for a party.",
         R"({"type":"object","properties":{"date":{"type":"string","format":"date"},"time":{"type":"string","pattern":"^[0-2][0-9]:[0-5][0-9]$"},"partySize":{"type":"integer","minimum":1,"maximum":8},"name":{"type":"string"},"notes":{"type":"string"}},"required":["date","time","partySize","name"]})",
         "https://tables.trattoria-lucca.example/api/reserve",
         R"({"date":"{date}","time":"{time}","partySize":{count},"name":"{caller}","notes":"window table"})",
         R"({"confirmation":"TL-{ref}"})"},
        2,
        {"Yes please, a table for this weekend.", "Yes, I'd like to book a table.",
         "Yes, and please tell me you have something, everywhere else is full."},
        {{"Lovely. For which day and how many guests?",
          "{day}, for {count} of us. It's my mother's birthday!", "{day}, {count} people.",
          "{day}, {count} people. It has to be that day."},
         {"Let me look. I can offer {time}. Does that suit you?", "{time} sounds perfect.",
          "{time} is okay.", "That's later than I wanted, but fine."},
         {"May I have a name for the booking, and any allergies I should note?",
          "{caller}, and one of us is allergic to nuts.", "Under {caller}. No allergies.",
          "{caller}. And no, I don't want to be upsold on anything."},
         {"All set, {caller}: {count} guests on {day} at {time}. We hold tables for fifteen "
          "minutes.",
          "Grazie! We're really looking forward to it.", "Great, thanks.",
          "Fine, we'll be on time."}},
        {"See you on {day}. Buona serata!", "Thank you for calling Trattoria Lucca.",
         "Thank you, and sorry we couldn't do earlier. Goodbye."}});

    out.append(SimPersona{
        "insurance_claims",
        "Noah - Claims Intake",
        "Harborline Insurance",
        "en-US",
        "You are Noah, the first-notice-of-loss assistant for Harborline Insurance. Take new auto "
        "and home claims: policy number, date and place of the loss, what happened, whether "
        "anyone was injured, and photos to follow by text. Be empathetic: the caller may be "
        "upset. Do not say whether a claim is covered; an adjuster decides. Anyone injured or in "
        "danger is told to contact emergency services first. Transfer to a human on request.",
        "Harborline Insurance claims, this is Noah. I'm sorry you need to call us. Are you safe?",
        "elevenlabs",
        "TxGEqnHWrfWFTfGW9XjX",
        "gpt-4-turbo",
        0.3,
        600,
        0.95,
        0.1,
        true,
        false,
        {"open_claim", "Open a first notice of loss in the claims system.",
         R"({"type":"object","properties":{"policyNumber":{"type":"string"},"lossDate":{"type":"string","format":"date"},"lossType":{"type":"string","enum":["auto","home","theft","water"]},"injuries":{"type":"boolean"},"description":{"type":"string"}},"required":["policyNumber","lossDate","lossType"]})",
         "https://claims.harborline.example/fnol",
         R"({"policyNumber":"HL-{ref}","lossDate":"{date}","lossType":"auto","injuries":false,"description":"rear-ended at a stop light"})",
         R"({"claimNumber":"CLM-{ref}","adjusterCallbackHours":24})"},
        2,
        {"Yes, everyone's okay, thankfully.", "Yes, I'm fine. I need to report an accident.",
         "I'm okay, but my car is wrecked and I'm really stressed."},
        {{"I'm glad you're safe. Could you give me your policy number?", "Sure, it's H L {ref}.",
          "H L {ref}.", "H L {ref}. Is this going to take long?"},
         {"Thank you. When and where did it happen?", "On {day}, at the corner of Fifth and Main.",
          "{day}, downtown.", "{day}. Someone ran into me at a red light and just drove off."},
         {"Was anyone hurt, and is the vehicle drivable?",
          "No injuries, and I could drive it home.", "No one was hurt. It drives.",
          "No injuries, but the bumper is hanging off. I need a rental."},
         {"I've opened claim C L M {ref}. An adjuster will call you within twenty-four hours.",
          "Thank you, that was easier than I expected.", "Okay, I'll wait for the call.",
          "Twenty-four hours? I need a car tomorrow."}},
        {"Please text photos to the number we'll send you. Take care, {caller}.",
         "You'll get a text with next steps. Goodbye.",
         "I understand. I've flagged the rental request for the adjuster. Take care."}});

    out.append(SimPersona{
        "it_helpdesk",
        "Ravi - IT Helpdesk",
        "Northgate Logistics",
        "en-US",
        "You are Ravi, the first-line IT helpdesk for Northgate Logistics employees. Verify the "
        "employee ID, then help with password resets, VPN problems, email on mobile and printer "
        "issues using the knowledge base. Walk through one step at a time and wait for the "
        "result. If not fixed in ten minutes, open a ticket with create_ticket and tell the "
        "caller the ticket number and priority. Never ask for a password.",
        "Northgate IT helpdesk, Ravi here. What's not working for you today?",
        "openai",
        "echo",
        "gpt-4o",
        0.2,
        500,
        1.1,
        0.0,
        true,
        false,
        {"create_ticket", "Open a helpdesk ticket.",
         R"({"type":"object","properties":{"employeeId":{"type":"string"},"category":{"type":"string","enum":["password","vpn","email","printer","other"]},"priority":{"type":"string","enum":["low","normal","high"]},"summary":{"type":"string"}},"required":["employeeId","category","summary"]})",
         "https://itsm.northgate.example/api/tickets",
         R"({"employeeId":"E{ref}","category":"vpn","priority":"normal","summary":"VPN drops every few minutes"})",
         R"({"ticket":"INC-{ref}","priority":"normal"})"},
        3,
        {"Hi Ravi, quick one, my VPN keeps disconnecting.",
         "Hi, my VPN isn't connecting since this morning.",
         "Hi. The VPN is down again and I can't do my job."},
        {{"Sorry about that. Can I have your employee ID?", "Sure, E {ref}.", "E {ref}.",
          "E {ref}. Can we hurry?"},
         {"Thanks. Please quit the VPN app completely and open it again.",
          "Okay, done. It's connecting.", "Done. It's trying.", "Did that twice already."},
         {"Now choose the Frankfurt gateway instead of automatic and connect.",
          "Oh, that worked straight away!", "Connected, let's see if it holds.",
          "Still dropping. This is the third time this month."},
         {"I've logged a ticket so networking can check the gateway. It's I N C {ref}.",
          "Great, thanks for the quick help.", "Okay, thanks.",
          "Fine. I hope someone actually looks at it."}},
        {"Glad we got you working. Have a good day, {caller}!",
         "If it drops again, call us with the ticket number. Bye.",
         "I've marked it high priority. Sorry for the hassle."}});
}
